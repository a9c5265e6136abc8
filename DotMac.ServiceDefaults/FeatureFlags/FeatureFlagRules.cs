using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DotMac.Contracts.Platform;

namespace DotMac.ServiceDefaults.FeatureFlags;

/// <summary>
/// A flag as every service evaluates it: the tenant's override, else its rollout bucket, else the default. Answers are
/// kept per tenant inside the definition, so a change (a new definition) drops them all at once.
/// </summary>
public sealed record FeatureFlagDefinition(string Key, int Version, string Description, bool DefaultEnabled, int? RolloutPercent,
    IReadOnlyDictionary<Guid, bool> Overrides)
{
    readonly ConcurrentDictionary<Guid, bool> _answers = new();

    public static FeatureFlagDefinition From(FeatureFlagChanged changed) => new(changed.Key, changed.Version, changed.Description,
        changed.DefaultEnabled, changed.RolloutPercent, (changed.Overrides ?? []).ToDictionary(o => o.TenantId, o => o.Enabled));

    public bool IsEnabledFor(Guid tenantId) => _answers.GetOrAdd(tenantId, t => FeatureFlagRules.Evaluate(this, t).Enabled);
}

/// <summary>Why a flag is on or off for a tenant: "override", "rollout" or "default".</summary>
public sealed record FeatureFlagDecision(bool Enabled, string Reason);

public static class FeatureFlagRules
{
    /// <summary>The flags services know by name (platform may hold more; an unknown one is off unless a caller says otherwise).</summary>
    public const string Webhooks = "webhooks";

    public static FeatureFlagDecision Evaluate(FeatureFlagDefinition flag, Guid tenantId)
    {
        if (flag.Overrides.TryGetValue(tenantId, out var enabled))
            return new(enabled, "override");
        if (flag.RolloutPercent is { } percent)
            return new(Bucket(flag.Key, tenantId) < percent, "rollout");
        return new(flag.DefaultEnabled, "default");
    }

    /// <summary>
    /// The tenant's place (0-99) in a flag's rollout: from a hash of the flag and the tenant, so it never changes for the
    /// pair, a 10% rollout grown to 20% keeps its first tenants, and each flag picks its own tenants.
    /// </summary>
    public static int Bucket(string key, Guid tenantId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{key}:{tenantId:D}"), hash);
        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash) % 100);
    }
}
