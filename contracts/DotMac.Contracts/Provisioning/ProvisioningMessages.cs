namespace DotMac.Contracts.Provisioning;

// The provisioning saga's commands and the replies it waits for. Every one carries the order (the saga's
// correlation id); commands end in Command, the replies are events. Handlers are idempotent per order, so a redelivered or repeated command changes nothing twice.

/// <summary>networking: hand the order an address (or delegated prefix) from the pool; the order is its holder.</summary>
[PublishedBy("services")]
public sealed record AllocateIpCommand(Guid TenantId, Guid OrderId, Guid PoolId);

/// <summary>The order holds <paramref name="Address"/> from the pool, whose prefix is at <paramref name="Site"/> (when the prefix names one).</summary>
[PublishedBy("networking")]
public sealed record IpAssigned(Guid TenantId, Guid OrderId, Guid PoolId, Guid AllocationId, string Address, DateTimeOffset OccurredAt, string? Site = null) : IIntegrationEvent;

[PublishedBy("networking")]
public sealed record IpAssignmentFailed(Guid TenantId, Guid OrderId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>networking: give back whatever the order holds (compensation, termination). Nothing held is not an error.</summary>
[PublishedBy("services")]
public sealed record ReleaseIpCommand(Guid TenantId, Guid OrderId);

/// <summary>
/// billing: open the customer's subscription at the plan version's price (a snapshot: later plan changes do not
/// touch it), from <paramref name="ActivationDate"/>.
/// </summary>
[PublishedBy("services")]
public sealed record OpenSubscriptionCommand(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    Guid CustomerId,
    Guid PlanId,
    int PlanVersion,
    string PlanName,
    decimal Price,
    string Currency,
    string BillingPeriod,
    DateOnly ActivationDate);

[PublishedBy("billing")]
public sealed record SubscriptionOpened(Guid TenantId, Guid OrderId, Guid SubscriptionId, DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("billing")]
public sealed record SubscriptionRejected(Guid TenantId, Guid OrderId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// billing: the order's service moved to another plan (version) from <paramref name="EffectiveOn"/>: the subscription takes
/// the new price, and the part of the period already invoiced is credited at the old price and charged at the new one.
/// </summary>
[PublishedBy("services")]
public sealed record ChangeSubscriptionPlanCommand(
    Guid TenantId,
    Guid OrderId,
    Guid PlanId,
    int PlanVersion,
    string PlanName,
    decimal Price,
    string Currency,
    DateOnly EffectiveOn);

/// <summary>billing: cancel the order's subscription (compensation) or end it (termination). None is not an error.</summary>
[PublishedBy("services")]
public sealed record CancelSubscriptionCommand(Guid TenantId, Guid OrderId, string Reason);

/// <summary>
/// networking: the subscriber's RADIUS profile: PPPoE/IPoE username (networking keeps its password), the address,
/// and rate limits in kbit/s from the plan (burst optional).
/// </summary>
[PublishedBy("services")]
public sealed record ApplyNetworkProfileCommand(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    string Username,
    string Address,
    int DownloadKbps,
    int UploadKbps,
    int? BurstDownloadKbps,
    int? BurstUploadKbps,
    int? BurstSeconds);

[PublishedBy("networking")]
public sealed record NetworkProfileApplied(Guid TenantId, Guid OrderId, Guid ServiceId, string Username, DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("networking")]
public sealed record NetworkProfileFailed(Guid TenantId, Guid OrderId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>networking: take the order's subscriber out of RADIUS (compensation, termination).</summary>
[PublishedBy("services")]
public sealed record RemoveNetworkProfileCommand(Guid TenantId, Guid OrderId);

/// <summary>networking: refuse (or wall-garden, per the tenant's policy) the subscriber, or let it in again.</summary>
[PublishedBy("services")]
public sealed record SetNetworkAccessCommand(Guid TenantId, Guid OrderId, bool Suspended);

[PublishedBy("networking")]
public sealed record NetworkAccessChanged(Guid TenantId, Guid OrderId, bool Suspended, DateTimeOffset OccurredAt) : IIntegrationEvent;
