using DotMac.Contracts.Provisioning;
using DotMac.Contracts.Services;
using DotMac.Services.Plans;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DotMac.Services.Provisioning;

/// <summary>
/// The provisioning saga (ARCHITECTURE.md): ServiceOrderSubmitted -> allocate an IP (networking) -> open the subscription
/// (billing) -> apply the subscriber's RADIUS profile (networking) -> ServiceActivated. Each step has a timeout in the
/// durable scheduler (a timeout of a step already answered fires later and is ignored); a failure or timeout compensates every step done (profile removed, subscription cancelled, IP
/// released) and ends in ProvisioningFailed with the step and reason. A reply that arrives after the saga gave up is
/// compensated too. An active service is suspended, resumed and terminated through the same flow.
/// Commands are published (each has one consumer); every handler is idempotent per order.
/// </summary>
public sealed class ProvisioningStateMachine : MassTransitStateMachine<ProvisioningState>
{
    public const string IpStep = "ip";
    public const string SubscriptionStep = "subscription";
    public const string ProfileStep = "network_profile";

    public ProvisioningStateMachine(IOptions<ProvisioningOptions> options)
    {
        InstanceState(x => x.CurrentState);
        // A redelivered or late reply in a state that no longer expects it changes nothing.
        OnUnhandledEvent(c => c.Ignore());
        Event(() => Submitted, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => IpAssigned, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => IpFailed, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => SubscriptionOpened, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => SubscriptionRejected, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ProfileApplied, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ProfileFailed, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => AccessChanged, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Lifecycle, e => e.CorrelateById(m => m.Message.OrderId));
        Schedule(() => StepTimeout, x => x.StepTimeoutToken, s =>
        {
            s.Delay = options.Value.StepTimeout;
            s.Received = r => r.CorrelateById(m => m.Message.OrderId);
        });

        Initially(
            When(Submitted)
                .Then(c =>
                {
                    var m = c.Message;
                    (c.Saga.TenantId, c.Saga.ServiceId, c.Saga.CustomerId, c.Saga.PlanId, c.Saga.PlanVersion, c.Saga.PoolId, c.Saga.Username) =
                        (m.TenantId, m.ServiceId, m.CustomerId, m.PlanId, m.PlanVersion, m.PoolId, m.Username);
                })
                .ThenAsync(async c =>
                {
                    var record = Record(c);
                    await record.OrderAsync(c.Saga, "provisioning");
                    await record.ServiceAsync(c.Saga, "provisioning");
                })
                .ThenAsync(c => Begin(c, IpStep))
                .Publish(c => new AllocateIpCommand(c.Saga.TenantId, c.Saga.CorrelationId, c.Saga.PoolId))
                .Schedule(StepTimeout, c => new ProvisioningStepTimedOut(c.Saga.CorrelationId, IpStep))
                .TransitionTo(AllocatingIp));

        During(AllocatingIp,
            When(IpAssigned)
                .Then(StepDone)
                .Then(c => c.Saga.Address = c.Message.Address)
                .ThenAsync(c => Record(c).StepAsync(c.Saga, IpStep, "completed", c.Message.Address))
                .ThenAsync(c => Begin(c, SubscriptionStep))
                .PublishAsync(OpenSubscriptionAsync)
                .Schedule(StepTimeout, c => new ProvisioningStepTimedOut(c.Saga.CorrelationId, SubscriptionStep))
                .TransitionTo(OpeningSubscription),
            When(IpFailed)
                .Then(StepDone)
                .ThenAsync(c => FailAsync(c, IpStep, c.Message.Reason))
                .TransitionTo(Failed),
            When(StepTimeout.Received, c => c.Message.Step == c.Saga.Step)
                .ThenAsync(c => FailAsync(c, IpStep, "networking did not allocate an address in time"))
                .TransitionTo(Failed));

        During(OpeningSubscription,
            When(SubscriptionOpened)
                .Then(StepDone)
                .Then(c => c.Saga.SubscriptionId = c.Message.SubscriptionId)
                .ThenAsync(c => Record(c).StepAsync(c.Saga, SubscriptionStep, "completed", c.Message.SubscriptionId.ToString()))
                .ThenAsync(c => Begin(c, ProfileStep))
                .PublishAsync(ApplyProfileAsync)
                .Schedule(StepTimeout, c => new ProvisioningStepTimedOut(c.Saga.CorrelationId, ProfileStep))
                .TransitionTo(ApplyingProfile),
            When(SubscriptionRejected)
                .Then(StepDone)
                .ThenAsync(c => FailAsync(c, SubscriptionStep, c.Message.Reason))
                .TransitionTo(Failed),
            When(StepTimeout.Received, c => c.Message.Step == c.Saga.Step)
                .ThenAsync(c => FailAsync(c, SubscriptionStep, "billing did not open the subscription in time"))
                .TransitionTo(Failed));

        During(ApplyingProfile,
            When(ProfileApplied)
                .Then(StepDone)
                .ThenAsync(async c =>
                {
                    var record = Record(c);
                    await record.StepAsync(c.Saga, ProfileStep, "completed", c.Message.Username);
                    await record.OrderAsync(c.Saga, "active");
                    await record.ServiceAsync(c.Saga, "active");
                })
                .PublishAsync(ActivatedAsync)
                .TransitionTo(Active),
            When(ProfileFailed)
                .Then(StepDone)
                .ThenAsync(c => FailAsync(c, ProfileStep, c.Message.Reason))
                .TransitionTo(Failed),
            When(StepTimeout.Received, c => c.Message.Step == c.Saga.Step)
                .ThenAsync(c => FailAsync(c, ProfileStep, "networking did not apply the subscriber profile in time"))
                .TransitionTo(Failed));

        // Replies that arrive after the saga gave up: undo what they did.
        During(Failed,
            When(IpAssigned).Publish(c => new ReleaseIpCommand(c.Saga.TenantId, c.Saga.CorrelationId)),
            When(SubscriptionOpened).Publish(c => new CancelSubscriptionCommand(c.Saga.TenantId, c.Saga.CorrelationId, "provisioning failed")),
            When(ProfileApplied).Publish(c => new RemoveNetworkProfileCommand(c.Saga.TenantId, c.Saga.CorrelationId)),
            Ignore(IpFailed), Ignore(SubscriptionRejected), Ignore(ProfileFailed), Ignore(StepTimeout.Received), Ignore(Lifecycle), Ignore(AccessChanged));

        During(Active,
            When(Lifecycle, c => c.Message.Action == "suspend")
                .ThenAsync(c => Record(c).StepAsync(c.Saga, "suspend", "started", c.Message.Reason))
                .Publish(c => new SetNetworkAccessCommand(c.Saga.TenantId, c.Saga.CorrelationId, true))
                .TransitionTo(Suspending),
            When(Lifecycle, c => c.Message.Action == "terminate")
                .ThenAsync(c => TerminateAsync(c, c.Message.Reason))
                .TransitionTo(Terminated),
            Ignore(Lifecycle, c => c.Message.Action == "resume"),
            Ignore(AccessChanged));

        During(Suspending,
            When(AccessChanged, c => c.Message.Suspended)
                .ThenAsync(async c =>
                {
                    var record = Record(c);
                    await record.StepAsync(c.Saga, "suspend", "completed");
                    await record.ServiceAsync(c.Saga, "suspended", "suspended");
                })
                .Publish(c => new ServiceSuspended(c.Saga.TenantId, c.Saga.ServiceId, c.Saga.CustomerId, "suspended", DateTimeOffset.UtcNow))
                .TransitionTo(Suspended),
            When(Lifecycle, c => c.Message.Action == "terminate")
                .ThenAsync(c => TerminateAsync(c, c.Message.Reason))
                .TransitionTo(Terminated),
            Ignore(Lifecycle, c => c.Message.Action != "terminate"));

        During(Suspended,
            When(Lifecycle, c => c.Message.Action == "resume")
                .ThenAsync(c => Record(c).StepAsync(c.Saga, "resume", "started", c.Message.Reason))
                .Publish(c => new SetNetworkAccessCommand(c.Saga.TenantId, c.Saga.CorrelationId, false))
                .TransitionTo(Resuming),
            When(Lifecycle, c => c.Message.Action == "terminate")
                .ThenAsync(c => TerminateAsync(c, c.Message.Reason))
                .TransitionTo(Terminated),
            Ignore(Lifecycle, c => c.Message.Action == "suspend"),
            Ignore(AccessChanged));

        During(Resuming,
            When(AccessChanged, c => !c.Message.Suspended)
                .ThenAsync(async c =>
                {
                    var record = Record(c);
                    await record.StepAsync(c.Saga, "resume", "completed");
                    await record.ServiceAsync(c.Saga, "active");
                })
                .Publish(c => new ServiceResumed(c.Saga.TenantId, c.Saga.ServiceId, c.Saga.CustomerId, DateTimeOffset.UtcNow))
                .TransitionTo(Active),
            When(Lifecycle, c => c.Message.Action == "terminate")
                .ThenAsync(c => TerminateAsync(c, c.Message.Reason))
                .TransitionTo(Terminated),
            Ignore(Lifecycle, c => c.Message.Action != "terminate"),
            Ignore(AccessChanged, c => c.Message.Suspended));

        During(Terminated, Ignore(Lifecycle), Ignore(AccessChanged));
    }

    public State AllocatingIp { get; private set; } = null!;
    public State OpeningSubscription { get; private set; } = null!;
    public State ApplyingProfile { get; private set; } = null!;
    public State Active { get; private set; } = null!;
    public State Suspending { get; private set; } = null!;
    public State Suspended { get; private set; } = null!;
    public State Resuming { get; private set; } = null!;
    public State Terminated { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<ServiceOrderSubmitted> Submitted { get; private set; } = null!;
    public Event<IpAssigned> IpAssigned { get; private set; } = null!;
    public Event<IpAssignmentFailed> IpFailed { get; private set; } = null!;
    public Event<SubscriptionOpened> SubscriptionOpened { get; private set; } = null!;
    public Event<SubscriptionRejected> SubscriptionRejected { get; private set; } = null!;
    public Event<NetworkProfileApplied> ProfileApplied { get; private set; } = null!;
    public Event<NetworkProfileFailed> ProfileFailed { get; private set; } = null!;
    public Event<NetworkAccessChanged> AccessChanged { get; private set; } = null!;
    public Event<ServiceLifecycleRequested> Lifecycle { get; private set; } = null!;
    public Schedule<ProvisioningState, ProvisioningStepTimedOut> StepTimeout { get; private set; } = null!;

    /// <summary>
    /// The step's reply came: its timeout is forgotten rather than cancelled (a cancellation is one more round trip
    /// through the scheduler per step). It still fires later and is ignored: its step is no longer the saga's.
    /// </summary>
    static void StepDone(BehaviorContext<ProvisioningState> context)
    {
        context.Saga.StepTimeoutToken = null;
        context.Saga.Step = null;
    }

    static ProvisioningRecord Record(BehaviorContext<ProvisioningState> context) => context.GetServiceOrCreateInstance<ProvisioningRecord>();

    static Task Begin(BehaviorContext<ProvisioningState> context, string step)
    {
        context.Saga.Step = step;
        return Record(context).StepAsync(context.Saga, step, "started");
    }

    static async Task<OpenSubscriptionCommand> OpenSubscriptionAsync(BehaviorContext<ProvisioningState, IpAssigned> context)
    {
        var saga = context.Saga;
        var plan = await PlanAsync(context, saga);
        return new OpenSubscriptionCommand(saga.TenantId, saga.CorrelationId, saga.ServiceId, saga.CustomerId, saga.PlanId, saga.PlanVersion, plan.Name,
            plan.Price, plan.Currency.Trim(), plan.BillingPeriod, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    /// <summary>The order's plan version (kept forever: versions are never deleted).</summary>
    static async Task<PlanRow> PlanAsync(BehaviorContext<ProvisioningState> context, ProvisioningState saga) =>
        await context.GetServiceOrCreateInstance<PlanCatalog>().GetVersionAsync(saga.TenantId, saga.PlanId, saga.PlanVersion, context.CancellationToken)
        ?? throw new InvalidOperationException($"Plan {saga.PlanId} version {saga.PlanVersion} of order {saga.CorrelationId} is gone.");

    static async Task<ServiceActivated> ActivatedAsync(BehaviorContext<ProvisioningState, NetworkProfileApplied> context)
    {
        var saga = context.Saga;
        var plan = await PlanAsync(context, saga);
        return new ServiceActivated(saga.TenantId, saga.CorrelationId, saga.ServiceId, saga.CustomerId, saga.PlanId, saga.PlanVersion, saga.Address!,
            saga.SubscriptionId!.Value, DateTimeOffset.UtcNow, plan.Price, plan.Currency.Trim(), plan.BillingPeriod);
    }

    static async Task<ApplyNetworkProfileCommand> ApplyProfileAsync(BehaviorContext<ProvisioningState, SubscriptionOpened> context)
    {
        var saga = context.Saga;
        var plan = await PlanAsync(context, saga);
        return new ApplyNetworkProfileCommand(saga.TenantId, saga.CorrelationId, saga.ServiceId, saga.Username, saga.Address!,
            plan.DownloadMbps * 1000, plan.UploadMbps * 1000, plan.BurstDownloadMbps * 1000, plan.BurstUploadMbps * 1000, plan.BurstSeconds);
    }

    /// <summary>Compensates every completed step (newest first), then records and announces the failure.</summary>
    static async Task FailAsync<T>(BehaviorContext<ProvisioningState, T> context, string step, string reason)
        where T : class
    {
        var saga = context.Saga;
        var record = Record(context);
        await record.StepAsync(saga, step, "failed", reason);
        // The step that failed or timed out may still complete late: undo it as well as the ones before it.
        if (step is ProfileStep)
        {
            await context.Publish(new RemoveNetworkProfileCommand(saga.TenantId, saga.CorrelationId));
            await record.StepAsync(saga, ProfileStep, "compensated");
        }
        if (step is ProfileStep or SubscriptionStep)
        {
            await context.Publish(new CancelSubscriptionCommand(saga.TenantId, saga.CorrelationId, $"provisioning failed: {reason}"));
            await record.StepAsync(saga, SubscriptionStep, "compensated");
        }
        await context.Publish(new ReleaseIpCommand(saga.TenantId, saga.CorrelationId));
        await record.StepAsync(saga, IpStep, "compensated");
        await record.OrderAsync(saga, "failed", step, reason);
        await record.ServiceAsync(saga, "failed", reason);
        await context.Publish(new ProvisioningFailed(saga.TenantId, saga.CorrelationId, saga.ServiceId, saga.CustomerId, step, reason, DateTimeOffset.UtcNow));
    }

    static async Task TerminateAsync<T>(BehaviorContext<ProvisioningState, T> context, string reason)
        where T : class
    {
        var saga = context.Saga;
        var record = Record(context);
        await record.StepAsync(saga, "terminate", "started", reason);
        await context.Publish(new RemoveNetworkProfileCommand(saga.TenantId, saga.CorrelationId));
        await context.Publish(new CancelSubscriptionCommand(saga.TenantId, saga.CorrelationId, $"terminated: {reason}"));
        await context.Publish(new ReleaseIpCommand(saga.TenantId, saga.CorrelationId));
        await record.StepAsync(saga, "terminate", "completed");
        await record.ServiceAsync(saga, "terminated", reason);
        await context.Publish(new ServiceTerminated(saga.TenantId, saga.ServiceId, saga.CustomerId, reason, DateTimeOffset.UtcNow));
    }
}
