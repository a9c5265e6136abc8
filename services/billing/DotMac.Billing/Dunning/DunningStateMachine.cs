using Dapper;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DotMac.Billing.Dunning;

/// <summary>
/// The dunning saga, one per overdue invoice (docs/billing.md): InvoiceOverdue starts it with the tenant's policy
/// (default: reminder on day 3, suspension on day 14, termination on day 30 after the due date; a day lasts
/// Billing:DayLength). Each step is a timeout in ops's durable scheduler: a reminder publishes PaymentReminderDue; the
/// suspension publishes SuspensionRequested for every service the invoice bills (services suspends it, networking
/// rejects or gardens the subscriber); the termination publishes TerminationRequested (services ends the service,
/// billing its subscription, networking releases the address) and ends the saga. InvoiceSettled at any point ends it,
/// and what it suspended is restored (ServiceRestored) unless another of the customer's invoices holds it suspended.
/// </summary>
public sealed class DunningStateMachine : MassTransitStateMachine<DunningState>
{
    public DunningStateMachine(IOptions<BillingOptions> options)
    {
        var dayLength = options.Value.DayLength;
        InstanceState(x => x.CurrentState);
        OnUnhandledEvent(c => c.Ignore());
        Event(() => Overdue, e => e.CorrelateById(m => m.Message.InvoiceId));
        Event(() => Settled, e =>
        {
            e.CorrelateById(m => m.Message.InvoiceId);
            e.OnMissingInstance(m => m.Discard()); // paid before it was ever overdue: no dunning to end
        });
        Schedule(() => StepDue, x => x.StepToken, s =>
        {
            s.Delay = TimeSpan.Zero;
            s.Received = r => r.CorrelateById(m => m.Message.InvoiceId);
        });

        Initially(
            When(Overdue)
                .ThenAsync(async c =>
                {
                    var m = c.Message;
                    (c.Saga.TenantId, c.Saga.CustomerId, c.Saga.Number, c.Saga.DueAt) = (m.TenantId, m.CustomerId, m.Number, m.DueAt);
                    var session = c.GetServiceOrCreateInstance<DbSession>();
                    await session.OpenAsync(c.CancellationToken);
                    var tenant = await TenantBilling.GetAsync(session.Connection, session.Transaction, m.TenantId, c.CancellationToken);
                    c.Saga.Steps = [.. Policy(tenant)];
                })
                .Schedule(StepDue, c => new DunningStepDue(c.Saga.CorrelationId, 0), c => Delay(c.Saga, 0, dayLength))
                .TransitionTo(Dunning));

        During(Dunning,
            When(StepDue.Received, c => c.Message.Step == c.Saga.Next)
                .ThenAsync(c => RunStepAsync(c, dayLength))
                .If(c => c.Saga.Next >= c.Saga.Steps.Count, done => done.Finalize())
                .If(c => c.Saga.Next < c.Saga.Steps.Count, next => next
                    .Schedule(StepDue, c => new DunningStepDue(c.Saga.CorrelationId, c.Saga.Next), c => Delay(c.Saga, c.Saga.Next, dayLength))),
            When(Settled)
                .Unschedule(StepDue)
                .ThenAsync(RestoreAsync)
                .Finalize());

        SetCompletedWhenFinalized();
    }

    public State Dunning { get; private set; } = null!;

    public Event<InvoiceOverdue> Overdue { get; private set; } = null!;
    public Event<InvoiceSettled> Settled { get; private set; } = null!;
    public Schedule<DunningState, DunningStepDue> StepDue { get; private set; } = null!;

    /// <summary>The tenant's policy as steps in day order.</summary>
    public static IEnumerable<DunningStep> Policy(TenantBillingRow tenant) =>
        tenant.ReminderDays.Select(d => new DunningStep("reminder", d))
            .Append(new DunningStep("suspend", tenant.SuspendAfterDays))
            .Append(new DunningStep("terminate", tenant.TerminateAfterDays))
            .OrderBy(s => s.Day);

    /// <summary>From now to the step's day after the due date (never negative: a late start catches up at once).</summary>
    static TimeSpan Delay(DunningState saga, int step, TimeSpan dayLength)
    {
        var at = saga.DueAt + dayLength * saga.Steps[step].Day;
        var delay = at - DateTimeOffset.UtcNow;
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    static async Task RunStepAsync(BehaviorContext<DunningState, DunningStepDue> context, TimeSpan dayLength)
    {
        var saga = context.Saga;
        var step = saga.Steps[saga.Next];
        saga.Next++;
        saga.StepToken = null;
        var session = context.GetServiceOrCreateInstance<DbSession>();
        await session.BeginAsync(context.CancellationToken);
        var invoice = await session.Connection.QuerySingleOrDefaultAsync<(decimal Due, string Currency, string Status)?>(new CommandDefinition(
            "select total - amount_paid - amount_credited, currency, status from invoices where id = @Id and tenant_id = @TenantId",
            new { Id = saga.CorrelationId, saga.TenantId }, session.Transaction, cancellationToken: context.CancellationToken));
        if (invoice is not { Status: "overdue" } open)
        {
            // Settled in the meantime (its InvoiceSettled may come after this saga is gone): restore now, and end.
            saga.Next = saga.Steps.Count;
            await session.CommitAsync(context.CancellationToken);
            await RestoreAsync(context);
            return;
        }
        var now = DateTimeOffset.UtcNow;
        var days = (int)Math.Floor((now - saga.DueAt) / dayLength);
        switch (step.Action)
        {
            case "reminder":
                await SetStageAsync(session, saga, "reminded", context.CancellationToken);
                await context.Publish(new PaymentReminderDue(saga.TenantId, saga.CorrelationId, saga.CustomerId, saga.Number, open.Due, open.Currency.Trim(), days, now));
                break;
            case "suspend":
                await SetStageAsync(session, saga, "suspended", context.CancellationToken);
                foreach (var service in await ServicesAsync(session, saga, context.CancellationToken))
                {
                    saga.Suspended.Add(service);
                    await context.Publish(new SuspensionRequested(saga.TenantId, saga.CustomerId, service, saga.CorrelationId,
                        $"invoice {saga.Number} unpaid {days} days after its due date", now));
                }
                break;
            case "terminate":
                await SetStageAsync(session, saga, "terminated", context.CancellationToken);
                foreach (var service in await ServicesAsync(session, saga, context.CancellationToken))
                {
                    await context.Publish(new TerminationRequested(saga.TenantId, saga.CustomerId, service, saga.CorrelationId,
                        $"invoice {saga.Number} unpaid {days} days after its due date", now));
                }
                saga.Suspended.Clear();
                saga.Next = saga.Steps.Count;
                break;
        }
        await session.CommitAsync(context.CancellationToken);
    }

    static async Task RestoreAsync(BehaviorContext<DunningState> context)
    {
        var saga = context.Saga;
        if (saga.Suspended.Count == 0)
            return;
        var session = context.GetServiceOrCreateInstance<DbSession>();
        await session.BeginAsync(context.CancellationToken);
        await SetStageAsync(session, saga, "none", context.CancellationToken);
        // A service another unpaid invoice of the customer suspended stays suspended until that one is settled too.
        var held = (await session.Connection.QueryAsync<Guid>(new CommandDefinition("""
            select distinct l.service_id from invoices i join invoice_lines l on l.invoice_id = i.id
            where i.tenant_id = @TenantId and i.customer_id = @CustomerId and i.id <> @Id and i.dunning_stage = 'suspended' and l.service_id is not null
            """, new { saga.TenantId, saga.CustomerId, Id = saga.CorrelationId }, session.Transaction, cancellationToken: context.CancellationToken))).ToHashSet();
        foreach (var service in saga.Suspended.Where(s => !held.Contains(s)))
            await context.Publish(new ServiceRestored(saga.TenantId, saga.CustomerId, service, saga.CorrelationId, DateTimeOffset.UtcNow));
        saga.Suspended.Clear();
        await session.CommitAsync(context.CancellationToken);
    }

    static Task SetStageAsync(DbSession session, DunningState saga, string stage, CancellationToken cancellationToken) =>
        session.Connection.ExecuteAsync(new CommandDefinition("update invoices set dunning_stage = @Stage, updated_at = now() where id = @Id and tenant_id = @TenantId",
            new { Stage = stage, Id = saga.CorrelationId, saga.TenantId }, session.Transaction, cancellationToken: cancellationToken));

    /// <summary>The services the invoice bills whose subscriptions are still running.</summary>
    static async Task<IReadOnlyList<Guid>> ServicesAsync(DbSession session, DunningState saga, CancellationToken cancellationToken) =>
        (await session.Connection.QueryAsync<Guid>(new CommandDefinition("""
            select distinct l.service_id from invoice_lines l join subscriptions s on s.id = l.subscription_id and s.tenant_id = l.tenant_id
            where l.invoice_id = @Id and l.tenant_id = @TenantId and l.service_id is not null and s.status = 'active'
            """, new { Id = saga.CorrelationId, saga.TenantId }, session.Transaction, cancellationToken: cancellationToken))).AsList();
}
