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
public sealed class LifecycleConsumer(DbSession session) :
    IConsumer<ServiceOrderSubmitted>, IConsumer<ServiceActivated>, IConsumer<ProvisioningFailed>,
    IConsumer<ServiceSuspended>, IConsumer<ServiceResumed>, IConsumer<ServiceTerminated>,
    IConsumer<TenantCreated>, IConsumer<TenantBillingSettingsChanged>
{
    public Task Consume(ConsumeContext<ServiceOrderSubmitted> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, context.Message.PlanId, "submitted", null);

    public Task Consume(ConsumeContext<ServiceActivated> context) =>
        TransitionAsync(context, context.Message.ServiceId, context.Message.OrderId, context.Message.CustomerId, context.Message.PlanId, "activated", null);

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

    async Task TransitionAsync<T>(ConsumeContext<T> context, Guid serviceId, Guid? orderId, Guid customerId, Guid? planId, string kind, string? detail)
        where T : class, DotMac.Contracts.IIntegrationEvent
    {
        var m = context.Message;
        await ExecuteAsync(context, AnalyticsSql.Transition, new
        {
            MessageId = context.MessageId ?? throw new InvalidDataException("No message id."),
            m.TenantId, ServiceId = serviceId, OrderId = orderId, CustomerId = customerId, PlanId = planId, Kind = kind, m.OccurredAt, Detail = detail,
        });
    }

    Task TenantAsync(ConsumeContext context, Guid tenantId, string timeZone, string currency, int version) =>
        ExecuteAsync(context, AnalyticsSql.UpsertTenant, new { TenantId = tenantId, TimeZone = timeZone, Currency = currency, Version = version });

    async Task ExecuteAsync(ConsumeContext context, string sql, object parameters)
    {
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
