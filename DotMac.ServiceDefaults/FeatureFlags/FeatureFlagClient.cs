using System.Collections.Concurrent;
using System.Net.Http.Json;
using DotMac.Contracts.Platform;
using DotMac.ServiceDefaults.Http;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DotMac.ServiceDefaults.FeatureFlags;

/// <summary>Whether a feature is on for a tenant, as platform's feature flags say (see docs/feature-flags.md).</summary>
public interface IFeatureFlags
{
    /// <summary>
    /// The flag for the tenant; <paramref name="whenUnknown"/> when platform has no such flag, or has not answered yet
    /// since this process started (a service never waits on platform to do its work).
    /// </summary>
    ValueTask<bool> IsEnabledAsync(string key, Guid tenantId, bool whenUnknown, CancellationToken cancellationToken = default);
}

/// <summary>
/// Every flag held in memory: loaded from platform's snapshot (/internal/v1/feature-flags) at start and once a minute,
/// and changed at once by FeatureFlagChanged, which reaches every instance on a queue of its own (so a change is in effect
/// everywhere within the bus's latency, well under 2 s). A change is applied only if newer than what is held, so a late
/// snapshot cannot undo an event. Answers per tenant are kept (in the flag's definition) until the flag changes.
/// </summary>
public sealed class FeatureFlagClient(IHttpClientFactory clients, IConfiguration configuration, TimeProvider time, ILogger<FeatureFlagClient> logger)
    : BackgroundService, IFeatureFlags
{
    public const string ClientName = "feature-flags";
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(60);

    readonly ConcurrentDictionary<string, FeatureFlagDefinition> _flags = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _deleted = new(StringComparer.Ordinal);
    readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<bool> IsEnabledAsync(string key, Guid tenantId, bool whenUnknown, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_flags.TryGetValue(key, out var flag) ? flag.IsEnabledFor(tenantId) : whenUnknown);

    /// <summary>Whether the first snapshot arrived (for health and tests).</summary>
    public bool Loaded => _loaded.Task.IsCompleted;

    /// <summary>The change of an event, or of a snapshot's flag; older than what is held, it is ignored.</summary>
    public void Apply(FeatureFlagChanged changed)
    {
        lock (_flags)
        {
            var held = _flags.TryGetValue(changed.Key, out var current) ? current.Version : _deleted.GetValueOrDefault(changed.Key);
            if (changed.Version < held || changed.Version == held && !changed.Deleted && current is not null)
                return;
            if (changed.Deleted)
            {
                _flags.TryRemove(changed.Key, out _);
                _deleted[changed.Key] = changed.Version;
            }
            else
                _flags[changed.Key] = FeatureFlagDefinition.From(changed);
        }
    }

    /// <summary>
    /// A snapshot: every flag it lists is applied; a held flag it does not list was deleted while no event reached us,
    /// unless it changed since the request went out (an event of a new or re-created flag, newer than the snapshot).
    /// The deletion is recorded at the held version, so the flag comes back from the next snapshot if it does exist.
    /// </summary>
    public void ApplySnapshot(IReadOnlyCollection<FeatureFlagChanged> snapshot, IReadOnlyDictionary<string, int> heldBefore)
    {
        foreach (var flag in snapshot)
            Apply(flag);
        var listed = snapshot.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        lock (_flags)
        {
            foreach (var (key, flag) in _flags.ToList())
            {
                if (listed.Contains(key) || !heldBefore.TryGetValue(key, out var before) || before != flag.Version)
                    continue;
                _flags.TryRemove(key, out _);
                _deleted[key] = flag.Version;
            }
        }
    }

    /// <summary>The version of every flag held now (taken before a snapshot is asked for).</summary>
    public IReadOnlyDictionary<string, int> HeldVersions() => _flags.ToDictionary(f => f.Key, f => f.Value.Version, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var platform = ServiceEndpoints.TryResolve(configuration, "platform");
        if (platform is null)
        {
            logger.LogWarning("No address for platform (services:platform:http:0): feature flags keep their callers' defaults");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var held = HeldVersions();
                var snapshot = await clients.CreateClient(ClientName).GetFromJsonAsync<FeatureFlagChanged[]>(new Uri(platform, "/internal/v1/feature-flags"), stoppingToken)
                    ?? [];
                ApplySnapshot(snapshot, held);
                if (_loaded.TrySetResult())
                    logger.LogInformation("Feature flags loaded from platform: {Count}", _flags.Count);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong, the service keeps the flags it knows and asks again: flags never stop a service.
                logger.LogWarning("Feature flags not refreshed from platform ({Error}); keeping {Count} known", e.Message, _flags.Count);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(Loaded ? RefreshInterval : TimeSpan.FromSeconds(2), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>FeatureFlagChanged into the instance's cache. Idempotent (versions), so no inbox: a repeat changes nothing.</summary>
public sealed class FeatureFlagChangedConsumer(FeatureFlagClient flags) : IConsumer<FeatureFlagChanged>
{
    public Task Consume(ConsumeContext<FeatureFlagChanged> context)
    {
        flags.Apply(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>A queue per instance (every instance must hear every change), deleted when the instance stops.</summary>
public sealed class FeatureFlagChangedConsumerDefinition : ConsumerDefinition<FeatureFlagChangedConsumer>
{
    /// <summary>Endpoint names containing this are the instances' flag queues (the inbox is not used on them).</summary>
    public const string Marker = "-feature-flags-";

    public FeatureFlagChangedConsumerDefinition(ServiceIdentity identity)
    {
        var instance = new string([.. identity.InstanceId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        Endpoint(e =>
        {
            e.Name = $"{identity.Name}{Marker}{instance}";
            e.Temporary = true;
            e.ConcurrentMessageLimit = 1;
        });
    }
}
