namespace DotMac.Contracts.Services;

/// <summary>A service order was accepted; the provisioning saga starts from this.</summary>
[PublishedBy("services")]
public sealed record ServiceOrderSubmitted(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    Guid CustomerId,
    Guid PlanId,
    int PlanVersion,
    Guid PoolId,
    string Username,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// Every provisioning step completed: the subscriber is on the network and billed, at the plan version's
/// <paramref name="Price"/> per <paramref name="BillingPeriod"/> (monthly, quarterly or yearly) in <paramref name="Currency"/>
/// (absent from events published before they were added).
/// </summary>
[PublishedBy("services")]
public sealed record ServiceActivated(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    Guid CustomerId,
    Guid PlanId,
    int PlanVersion,
    string Address,
    Guid SubscriptionId,
    DateTimeOffset OccurredAt,
    decimal? Price = null,
    string? Currency = null,
    string? BillingPeriod = null) : IIntegrationEvent;

/// <summary>
/// Staff moved an active or suspended service to another plan (version): its new speeds are applied and its
/// subscription is billed at <paramref name="Price"/> per <paramref name="BillingPeriod"/> from now on.
/// </summary>
[PublishedBy("services")]
public sealed record ServicePlanChanged(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    Guid CustomerId,
    Guid PreviousPlanId,
    int PreviousPlanVersion,
    Guid PlanId,
    int PlanVersion,
    decimal Price,
    string Currency,
    string BillingPeriod,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>Provisioning stopped at <paramref name="Step"/>; every completed step was compensated.</summary>
[PublishedBy("services")]
public sealed record ProvisioningFailed(
    Guid TenantId,
    Guid OrderId,
    Guid ServiceId,
    Guid CustomerId,
    string Step,
    string Reason,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("services")]
public sealed record ServiceSuspended(Guid TenantId, Guid ServiceId, Guid CustomerId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("services")]
public sealed record ServiceResumed(Guid TenantId, Guid ServiceId, Guid CustomerId, DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("services")]
public sealed record ServiceTerminated(Guid TenantId, Guid ServiceId, Guid CustomerId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;
