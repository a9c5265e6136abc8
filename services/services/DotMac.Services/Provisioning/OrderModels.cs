using DotMac.ServiceDefaults.Data;

namespace DotMac.Services.Provisioning;

/// <summary>
/// An order for a customer's service: the plan (its current version is bought and kept), the pool its address comes
/// from, and optionally the PPPoE/IPoE username (generated if absent). POSTed with an Idempotency-Key.
/// </summary>
public sealed record CreateOrderRequest(Guid CustomerId, Guid PlanId, Guid PoolId, string? Username = null);

public sealed record OrderStep(string Step, string Outcome, string? Detail, DateTimeOffset At);

public sealed record OrderResponse(
    Guid Id,
    Guid ServiceId,
    Guid CustomerId,
    Guid PlanId,
    int PlanVersion,
    Guid PoolId,
    string Username,
    string Status,
    string ServiceStatus,
    string? Address,
    Guid? SubscriptionId,
    string? FailedStep,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderStep>? Steps = null);

public sealed record ServiceResponse(
    Guid Id,
    Guid OrderId,
    Guid CustomerId,
    Guid PlanId,
    int PlanVersion,
    Guid PoolId,
    string Username,
    string? Address,
    Guid? SubscriptionId,
    string Status,
    string? StatusReason,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? SuspendedAt,
    DateTimeOffset? TerminatedAt,
    DateTimeOffset CreatedAt);

public sealed record LifecycleRequest(string? Reason = null);

internal sealed class OrderRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid ServiceId { get; init; }
    public Guid CustomerId { get; init; }
    public Guid PlanId { get; init; }
    public int PlanVersion { get; init; }
    public Guid PoolId { get; init; }
    public string Username { get; init; } = "";
    public string RequestHash { get; init; } = "";
    public string Status { get; init; } = "";
    public string? FailedStep { get; init; }
    public string? FailureReason { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? Address { get; init; }
    public Guid? SubscriptionId { get; init; }
    public string ServiceStatus { get; init; } = "";

    public OrderResponse ToResponse(IReadOnlyList<OrderStep>? steps = null) => new(Id, ServiceId, CustomerId, PlanId, PlanVersion, PoolId, Username, Status,
        ServiceStatus, Address, SubscriptionId, FailedStep, FailureReason, Times.Utc(CreatedAt), Times.Utc(UpdatedAt), steps);
}

internal sealed class StepRow
{
    public string Step { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string? Detail { get; init; }
    public DateTime At { get; init; }
}

internal sealed class InstanceRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid CustomerId { get; init; }
    public Guid PlanId { get; init; }
    public int PlanVersion { get; init; }
    public Guid PoolId { get; init; }
    public string Username { get; init; } = "";
    public string? Address { get; init; }
    public Guid? SubscriptionId { get; init; }
    public string Status { get; init; } = "";
    public string? StatusReason { get; init; }
    public DateTime? ActivatedAt { get; init; }
    public DateTime? SuspendedAt { get; init; }
    public DateTime? TerminatedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public Guid OrderId { get; init; }

    public ServiceResponse ToResponse() => new(Id, OrderId, CustomerId, PlanId, PlanVersion, PoolId, Username, Address, SubscriptionId, Status, StatusReason,
        Times.Utc(ActivatedAt), Times.Utc(SuspendedAt), Times.Utc(TerminatedAt), Times.Utc(CreatedAt));
}
