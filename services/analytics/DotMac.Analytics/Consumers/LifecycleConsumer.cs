using Dapper;
using DotMac.Contracts;
using DotMac.Contracts.Billing;
using DotMac.Contracts.Networking;
using DotMac.Contracts.Platform;
using DotMac.Contracts.Provisioning;
using DotMac.Contracts.Services;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Analytics.Consumers;

/// <summary>
/// Services' lifecycle events, the sites of their addresses and platform's tenant settings into the read models. Each event is kept as what happened
/// when (its OccurredAt), so a repeat (the same message id) or a late arrival changes no figure wrongly.
/// </summary>
public sealed class LifecycleConsumer(DbSession session) : ReadModelConsumer(session),
    IConsumer<ServiceOrderSubmitted>, IConsumer<ServiceActivated>, IConsumer<ProvisioningFailed>, IConsumer<ServicePlanChanged>,
    IConsumer<ServiceSuspended>, IConsumer<ServiceResumed>, IConsumer<ServiceTerminated>,
    IConsumer<TenantCreated>, IConsumer<TenantBillingSettingsChanged>, IConsumer<IpAssigned>
{
    public Task Consume(ConsumeContext<ServiceOrderSubmitted> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ServiceActivated> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ProvisioningFailed> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ServicePlanChanged> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ServiceSuspended> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ServiceResumed> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<ServiceTerminated> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<TenantCreated> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<TenantBillingSettingsChanged> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<IpAssigned> context) => ApplyAsync(context);
}

/// <summary>
/// Billing's invoices, balances, payments and credit notes, and networking's device states: one row per fact, keyed by
/// its own id (an invoice, a payment, a credit note) or by the message id (a balance change, a device state).
/// </summary>
public sealed class MoneyAndNetworkConsumer(DbSession session) : ReadModelConsumer(session),
    IConsumer<InvoiceIssued>, IConsumer<InvoiceBalanceChanged>, IConsumer<InvoiceSettled>, IConsumer<PaymentReceived>, IConsumer<CreditNoteIssued>,
    IConsumer<DeviceDown>, IConsumer<DeviceUp>
{
    public Task Consume(ConsumeContext<InvoiceIssued> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<InvoiceBalanceChanged> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<InvoiceSettled> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<PaymentReceived> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<CreditNoteIssued> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<DeviceDown> context) => ApplyAsync(context);
    public Task Consume(ConsumeContext<DeviceUp> context) => ApplyAsync(context);
}

/// <summary>A read model's consumer: the event's rows (<see cref="Projection"/>) and the inbox's "handled" mark commit in one transaction.</summary>
public abstract class ReadModelConsumer(DbSession session)
{
    protected async Task ApplyAsync<T>(ConsumeContext<T> context) where T : class, IIntegrationEvent
    {
        var (sql, parameters) = Projection.Of(context.MessageId ?? throw new InvalidDataException("No message id."), context.Message);
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
