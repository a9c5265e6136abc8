namespace DotMac.Contracts.Platform;

/// <summary>A new ISP was set up on DotMac. Identity bootstraps its admin role set from this.</summary>
public sealed record TenantCreated(
    Guid TenantId,
    string Slug,
    string Name,
    string Currency,
    string TimeZone,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>A tenant's settings changed; <paramref name="ChangedSettings"/> names the keys that changed.</summary>
public sealed record TenantSettingsChanged(
    Guid TenantId,
    IReadOnlyList<string> ChangedSettings,
    int SettingsVersion,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
