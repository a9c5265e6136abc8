namespace DotMac.Contracts.Identity;

/// <summary>A customer of a tenant was created; billing opens its billing account from this.</summary>
[PublishedBy("identity")]
public sealed record CustomerCreated(
    Guid TenantId,
    Guid CustomerId,
    string Kind,
    string Name,
    string Email,
    string? PortalId,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>A customer set their own password on a pending portal account: it is active from now.</summary>
[PublishedBy("identity")]
public sealed record PortalAccountActivated(
    Guid TenantId,
    Guid CustomerId,
    string PortalId,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>Too many failed logins: the staff user or portal account is locked until <paramref name="LockedUntil"/>.</summary>
[PublishedBy("identity")]
public sealed record UserLockedOut(
    Guid TenantId,
    Guid AccountId,
    string AccountKind,
    DateTimeOffset LockedUntil,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
