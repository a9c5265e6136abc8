using Dapper;
using DotMac.Analytics.Data;
using DotMac.Contracts.Platform;
using DotMac.Contracts.Services;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Analytics.Consumers;

/// <summary>
/// Services' lifecycle events and platform's tenant settings into the read models, inside the inbox's transaction:
/// the row and the "handled" mark commit together. Each event is kept as what happened when (its OccurredAt), so a
/// repeat (the same message id) or a late arrival changes no figure wrongly.
/// </summary>
public sealed class LifecycleConsumer(DbSession session) : ReadModelConsumer(session),
    IConsumer<ServiceOrderSubmitted>, IConsumer<ServiceActivated>, IConsumer<ProvisioningFailed>, IConsumer<ServicePlanChanged>,
    IConsumer<ServiceSuspended>, IConsumer<ServiceResumed>, IConsumer<ServiceTerminated>,
    IConsumer<TenantCreated>, IConsumer<TenantBillingSettingsChanged>
{
    public Task Consume(ConsumeContext<ServiceOrderSubmitted> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, context.Message.PlanId, "submitted", null);

    public Task Consume(ConsumeContext<ServiceActivated> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, context.Message.PlanId, "activated", null,
            Price.Of(context.Message.Price, context.Message.Currency, context.Message.BillingPeriod));

    public Task Consume(ConsumeContext<ServicePlanChanged> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, context.Message.PlanId, "plan_changed",
            $"{context.Message.PreviousPlanId} v{context.Message.PreviousPlanVersion} -> {context.Message.PlanId} v{context.Message.PlanVersion}",
            Price.Of(context.Message.Price, context.Message.Currency, context.Message.BillingPeriod));

    public Task Consume(ConsumeContext<ProvisioningFailed> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, null, "failed",
            $"{context.Message.Step}: {context.Message.Reason}");

    public Task Consume(ConsumeContext<ServiceSuspended> context) =>
        TransitionAsync(context, context.Message.ServiceId, null, context.Message.CustomerId, null, "suspended", context.Message.Reason);

    public Task Consume(ConsumeContext<ServiceResumed> context) =>
        TransitionAsync(context, context.Message.ServiceId, null, context.Message.CustomerId, null, "resumed", null);

    public Task Consume(ConsumeContext<ServiceTerminated> context) =>
        TransitionAsync(context, context.Message.ServiceId, null, context.Message.CustomerId, null, "terminated", context.Message.Reason);

    public Task Consume(ConsumeContext<TenantCreated> context) =>
        TenantAsync(context, context.Message.TenantId, context.Message.TimeZone, context.Message.Currency, 0);

    public Task Consume(ConsumeContext<TenantBillingSettingsChanged> context) =>
        TenantAsync(context, context.Message.TenantId, context.Message.TimeZone, context.Message.Currency, context.Message.SettingsVersion);

    Task TransitionAsync<T>(ConsumeContext<T> context, Guid serviceId, Guid? orderId, Guid customerId, Guid? planId, string kind, string? detail,
        Price? price = null)
        where T : class, DotMac.Contracts.IIntegrationEvent
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.Transition, new
        {
            MessageId = MessageId(context), m.TenantId, ServiceId = serviceId, OrderId = orderId, CustomerId = customerId, PlanId = planId, Kind = kind,
            m.OccurredAt, Detail = detail, Price = price?.Amount, price?.Currency, price?.BillingPeriod, price?.MonthlyPrice,
        });
    }

    Task TenantAsync(ConsumeContext context, Guid tenantId, string timeZone, string currency, int version) =>
        ExecuteAsync(context, AnalyticsSql.UpsertTenant, new { TenantId = tenantId, TimeZone = timeZone, Currency = currency, Version = version });
}

/// <summary>A plan's price per billing period, and its monthly equivalent (quarterly / 3, yearly / 12).</summary>
public sealed record Price(decimal Amount, string Currency, string BillingPeriod)
{
    public decimal MonthlyPrice => Amount / BillingPeriod switch { "quarterly" => 3, "yearly" => 12, _ => 1 };

    /// <summary>None when the event predates prices on the bus.</summary>
    public static Price? Of(decimal? amount, string? currency, string? billingPeriod) =>
        amount is { } a && currency is { } c ? new Price(a, c, billingPeriod ?? "monthly") : null;
}

/// <summary>A read model's consumer: each message's rows and the inbox's "handled" mark commit in one transaction.</summary>
public abstract class ReadModelConsumer(DbSession session)
{
    protected static Guid MessageId(ConsumeContext context) => context.MessageId ?? throw new InvalidDataException("No message id.");

    protected async Task ExecuteAsync(ConsumeContext context, string sql, object parameters)
    {
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
