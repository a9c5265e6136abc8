namespace DotMac.Contracts.Platform;

/// <summary>A new ISP was set up on DotMac. Identity keeps its list of tenants (and their plans) from this.</summary>
[PublishedBy("platform")]
public sealed record TenantCreated(
    Guid TenantId,
    string Slug,
    string Name,
    string Plan,
    string Currency,
    string TimeZone,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// A tenant's settings, plan or status changed; <paramref name="ChangedSettings"/> names what changed and the other
/// fields carry the tenant's plan and status as of <paramref name="SettingsVersion"/>.
/// </summary>
[PublishedBy("platform")]
public sealed record TenantSettingsChanged(
    Guid TenantId,
    IReadOnlyList<string> ChangedSettings,
    int SettingsVersion,
    string Plan,
    string Status,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
