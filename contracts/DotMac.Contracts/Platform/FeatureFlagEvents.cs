namespace DotMac.Contracts.Platform;

/// <summary>
/// A feature flag was created, changed (its default, rollout or a tenant's override) or deleted. It carries the flag's
/// whole definition as of <paramref name="Version"/>, so every service's flag cache applies it without asking platform;
/// <paramref name="TenantId"/> names the tenant whose override changed (null when the flag itself did). A platform event,
/// not a tenant's: a flag is the platform's, and this message goes to every instance of every service that reads flags.
/// </summary>
[PublishedBy("platform")]
public sealed record FeatureFlagChanged(
    string Key,
    int Version,
    bool Deleted,
    string Description,
    bool DefaultEnabled,
    int? RolloutPercent,
    IReadOnlyList<FeatureFlagOverride> Overrides,
    Guid? TenantId,
    DateTimeOffset OccurredAt) : IPlatformEvent;

/// <summary>One tenant's own setting of a flag, ahead of its rollout and default.</summary>
public sealed record FeatureFlagOverride(Guid TenantId, bool Enabled);
