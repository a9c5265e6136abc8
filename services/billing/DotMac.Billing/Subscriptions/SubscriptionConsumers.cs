using Dapper;
using DotMac.Contracts.Identity;
using DotMac.Contracts.Provisioning;
using DotMac.Contracts.Services;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Billing.Subscriptions;

/// <summary>
/// Billing's part of the provisioning saga and of the customer's life: an account per customer (from CustomerCreated,
/// or on the first subscription if that comes first), subscriptions opened and cancelled per order. All of it is
/// idempotent per customer and per order, inside the inbox's transaction.
/// </summary>
internal sealed class SubscriptionConsumers(DbSession session, TimeProvider clock) :
    IConsumer<CustomerCreated>,
    IConsumer<OpenSubscriptionCommand>,
    IConsumer<CancelSubscriptionCommand>,
    IConsumer<ChangeSubscriptionPlanCommand>,
    IConsumer<ServiceSuspended>,
    IConsumer<ServiceResumed>
{
    public async Task Consume(ConsumeContext<CustomerCreated> context)
    {
        await session.BeginAsync(context.CancellationToken);
        await Execute(SubscriptionSql.OpenAccount, new { Id = Guid.CreateVersion7(), context.Message.TenantId, context.Message.CustomerId, Currency = (string?)null }, context);
        await session.CommitAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OpenSubscriptionCommand> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        var existing = await session.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(Command(SubscriptionSql.OfOrder, new { m.TenantId, m.OrderId }, context));
        if (existing is not null)
        {
            await session.CommitAsync(context.CancellationToken);
            await Reply(context, existing);
            return;
        }
        await Execute(SubscriptionSql.OpenAccount, new { Id = Guid.CreateVersion7(), m.TenantId, m.CustomerId, Currency = m.Currency }, context);
        var account = await session.Connection.QuerySingleAsync<AccountRow>(Command(SubscriptionSql.AccountForUpdate, new { m.TenantId, m.CustomerId }, context));
        if (account.Status != "active" || account.Currency is { } currency && currency.Trim() != m.Currency)
        {
            await session.CommitAsync(context.CancellationToken);
            await context.Publish(new SubscriptionRejected(m.TenantId, m.OrderId,
                account.Status != "active" ? "The customer's billing account is closed." : $"The customer's account bills in {account.Currency!.Trim()}, the plan in {m.Currency}.",
                clock.GetUtcNow()));
            return;
        }
        await Execute(SubscriptionSql.SetAccountCurrency, new { account.Id, m.Currency }, context);
        await Execute(SubscriptionSql.Insert, new
        {
            Id = Guid.CreateVersion7(),
            m.TenantId,
            AccountId = account.Id,
            m.CustomerId,
            m.OrderId,
            m.ServiceId,
            m.PlanId,
            m.PlanVersion,
            m.PlanName,
            m.Price,
            m.Currency,
            m.BillingPeriod,
            ActivationDate = m.ActivationDate.ToDateTime(TimeOnly.MinValue),
        }, context);
        var opened = await session.Connection.QuerySingleAsync<SubscriptionRow>(Command(SubscriptionSql.OfOrder, new { m.TenantId, m.OrderId }, context));
        await SubscriptionCharges.ActivateAsync(session.Connection, session.Transaction!, opened, context.CancellationToken);
        await session.CommitAsync(context.CancellationToken);
        await Reply(context, opened);
    }

    public async Task Consume(ConsumeContext<CancelSubscriptionCommand> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        var subscription = await session.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(Command(SubscriptionSql.OfOrderForUpdate, new { m.TenantId, m.OrderId }, context));
        if (subscription is { Status: "active" })
        {
            var tenant = await Tenants.TenantBilling.GetAsync(session.Connection, session.Transaction, m.TenantId, context.CancellationToken);
            var endedOn = tenant.LocalDate(clock.GetUtcNow());
            await Execute(SubscriptionSql.Cancel, new { m.TenantId, m.OrderId, m.Reason, EndedOn = endedOn }, context);
            await SubscriptionCharges.EndAsync(session.Connection, session.Transaction!, subscription, endedOn, context.CancellationToken);
        }
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>A plan change of a running service (from services): prorated from its effective day; none if the subscription ended.</summary>
    public async Task Consume(ConsumeContext<ChangeSubscriptionPlanCommand> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        var subscription = await session.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(Command(SubscriptionSql.OfOrderForUpdate, new { m.TenantId, m.OrderId }, context));
        if (subscription is { Status: "active" } && subscription.Currency.Trim() == m.Currency && Invoicing.Money.IsExact(m.Price, m.Currency))
        {
            var effective = m.EffectiveOn < subscription.ActivationDate ? subscription.ActivationDate : m.EffectiveOn;
            await SubscriptionCharges.ChangePlanAsync(session.Connection, session.Transaction!, subscription, m.PlanId, m.PlanVersion, m.PlanName, m.Price, effective,
                context.CancellationToken);
        }
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>Whether a suspended subscription is still invoiced is the tenant's invoice_suspended; the cycle reads this flag.</summary>
    public Task Consume(ConsumeContext<ServiceSuspended> context) => SetSuspendedAsync(context, context.Message.TenantId, context.Message.ServiceId, true);

    public Task Consume(ConsumeContext<ServiceResumed> context) => SetSuspendedAsync(context, context.Message.TenantId, context.Message.ServiceId, false);

    async Task SetSuspendedAsync(ConsumeContext context, Guid tenantId, Guid serviceId, bool suspended)
    {
        await session.BeginAsync(context.CancellationToken);
        await Execute(SubscriptionSql.SetSuspended, new { TenantId = tenantId, ServiceId = serviceId, Suspended = suspended }, context);
        await session.CommitAsync(context.CancellationToken);
    }

    Task Reply(ConsumeContext<OpenSubscriptionCommand> context, SubscriptionRow row) =>
        row.Status == "active"
            ? context.Publish(new SubscriptionOpened(row.TenantId, row.OrderId, row.Id, clock.GetUtcNow()))
            : context.Publish(new SubscriptionRejected(row.TenantId, row.OrderId, "The order's subscription was cancelled.", clock.GetUtcNow()));

    Task Execute(string sql, object parameters, ConsumeContext context) => session.Connection.ExecuteAsync(Command(sql, parameters, context));

    CommandDefinition Command(string sql, object parameters, ConsumeContext context) =>
        new(sql, parameters, session.Transaction, cancellationToken: context.CancellationToken);
}
