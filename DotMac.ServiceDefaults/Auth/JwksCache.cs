using System.Diagnostics;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>
/// The signing keys a process trusts, fetched from identity and cached. Refreshed when older than the cache
/// duration, and at once (rate-limited, single-flight) when a token names a kid the cache does not know, so a
/// rotation never fails a request here even if identity's pre-publication was missed.
/// </summary>
public sealed class JwksCache(IJwksSource source, IOptions<AuthOptions> options, TimeProvider time, ILogger<JwksCache> logger)
{
    readonly SemaphoreSlim _refresh = new(1, 1);
    volatile Snapshot _snapshot = new([], DateTimeOffset.MinValue);
    DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;
    bool _lastFailed;

    sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    /// <summary>The keys as last fetched, without I/O: what token validation reads.</summary>
    public IReadOnlyList<SecurityKey> Current => _snapshot.Keys;

    /// <summary>Makes sure the cache is fresh and, if <paramref name="kid"/> is given, knows it if identity does.</summary>
    public async Task EnsureAsync(string? kid, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var now = time.GetUtcNow();
        var stale = now - snapshot.FetchedAt > options.Value.JwksCacheDuration;
        var unknown = kid is not null && !snapshot.Keys.Any(k => k.KeyId == kid);
        if (!stale && !unknown)
            return;

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            now = time.GetUtcNow();
            stale = now - snapshot.FetchedAt > options.Value.JwksCacheDuration;
            unknown = kid is not null && !snapshot.Keys.Any(k => k.KeyId == kid);
            // An unknown kid refreshes at most every JwksMinimumRefreshInterval (forged kids cost identity little);
            // an expired cache refreshes always, unless the last attempt failed that recently.
            var throttled = now - _lastAttempt < options.Value.JwksMinimumRefreshInterval;
            if (stale ? throttled && _lastFailed : !unknown || throttled)
                return;
            _lastAttempt = now;
            _lastFailed = true;
            using var activity = DotMacTelemetry.Source.StartActivity("jwks refresh", ActivityKind.Client);
            try
            {
                // Not the caller's token: a browser that navigates away mid-request must not cancel the fetch and
                // leave every other request 401 until the throttle lets the next one try (the client has its timeout).
                var set = await source.FetchAsync(CancellationToken.None);
                var keys = set.GetSigningKeys();
                _snapshot = new Snapshot(keys.ToList(), now);
                _lastFailed = false;
                logger.LogDebug("Fetched {Count} signing keys ({Reason})", keys.Count, unknown ? $"unknown kid {kid}" : "cache expired");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
            {
                // Keep the keys we have: identity being briefly away must not fail tokens signed with known keys.
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                logger.LogWarning("Could not fetch the signing keys: {Message}", ex.Message);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }
}
