using MassTransit;

namespace DotMac.Services.Provisioning;

/// <summary>One order's provisioning saga, keyed by the order id; stored as json by the PostgreSQL saga repository.</summary>
public sealed class ProvisioningState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid TenantId { get; set; }
    public Guid ServiceId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid PlanId { get; set; }
    public int PlanVersion { get; set; }
    public Guid PoolId { get; set; }
    public string Username { get; set; } = "";
    public string? Address { get; set; }
    public Guid? SubscriptionId { get; set; }

    /// <summary>The step under way (ip, subscription, network_profile) and the token of its timeout.</summary>
    public string? Step { get; set; }
    public Guid? StepTimeoutToken { get; set; }
}

/// <summary>The current step's deadline, delivered by the durable scheduler (ops).</summary>
public sealed record ProvisioningStepTimedOut(Guid OrderId, string Step);

/// <summary>Staff (or dunning) asked to suspend, resume or terminate an active service; handled by its saga.</summary>
public sealed record ServiceLifecycleRequested(Guid TenantId, Guid OrderId, string Action, string Reason);

/// <summary>"Provisioning" in configuration.</summary>
public sealed class ProvisioningOptions
{
    /// <summary>How long one step may wait for its reply (networking or billing away) before the saga compensates.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
