using System.Security.Cryptography;
using DotMac.ServiceDefaults.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>
/// The first request after a start fetches identity's keys. When that request is abandoned (a browser navigating away
/// cancels it), the fetch must still finish and serve the requests after it: a cancelled fetch used to count as a
/// failure and leave every request of the next seconds 401 ("invalid_token").
/// </summary>
public class JwksCacheTests
{
    sealed class SlowSource(ECDsaSecurityKey key) : IJwksSource
    {
        public int Fetches;

        public async Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Fetches);
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            var set = new JsonWebKeySet();
            set.Keys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key));
            return set;
        }
    }

    [Test]
    public async Task Should_finish_the_fetch_of_a_request_that_was_abandoned()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "k1" };
        var source = new SlowSource(key);
        var options = Options.Create(new AuthOptions { JwksCacheDuration = TimeSpan.FromHours(1), JwksMinimumRefreshInterval = TimeSpan.FromSeconds(30) });
        var cache = new JwksCache(source, options, TimeProvider.System, NullLogger<JwksCache>.Instance);

        using var abandoned = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var first = cache.EnsureAsync("k1", abandoned.Token);
        await first; // the caller's token no longer reaches the fetch

        Assert.That(cache.Current.Select(k => k.KeyId), Is.EqualTo(new[] { "k1" }));
        await cache.EnsureAsync("k1", CancellationToken.None);
        Assert.That(source.Fetches, Is.EqualTo(1), "the next request is served from the cache");
    }
}
