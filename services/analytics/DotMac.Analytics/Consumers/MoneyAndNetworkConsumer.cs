using DotMac.Analytics.Data;
using DotMac.Contracts.Billing;
using DotMac.Contracts.Networking;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Analytics.Consumers;

/// <summary>
/// Billing's invoices, balances, payments and credit notes, and networking's device states, into the read models: one
/// row per fact, keyed by its own id (an invoice, a payment, a credit note) or by the message id (a balance change, a
/// device state), so a repeat changes nothing and a late one sorts into its place by its OccurredAt.
/// </summary>
public sealed class MoneyAndNetworkConsumer(DbSession session) : ReadModelConsumer(session),
    IConsumer<InvoiceIssued>, IConsumer<InvoiceBalanceChanged>, IConsumer<InvoiceSettled>, IConsumer<PaymentReceived>, IConsumer<CreditNoteIssued>,
    IConsumer<DeviceDown>, IConsumer<DeviceUp>
{
    public Task Consume(ConsumeContext<InvoiceIssued> context)
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.Invoice, new { m.InvoiceId, m.TenantId, m.CustomerId, m.Number, m.Total, m.AmountDue, m.Currency, m.OccurredAt, m.DueAt });
    }

    public Task Consume(ConsumeContext<InvoiceBalanceChanged> context)
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.InvoiceChange, new { MessageId = MessageId(context), m.TenantId, m.InvoiceId, m.AmountDue, m.Status, m.OccurredAt });
    }

    /// <summary>Paid, credited or void: nothing is left to pay.</summary>
    public Task Consume(ConsumeContext<InvoiceSettled> context)
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.InvoiceChange, new { MessageId = MessageId(context), m.TenantId, m.InvoiceId, AmountDue = 0m, m.Status, m.OccurredAt });
    }

    public Task Consume(ConsumeContext<PaymentReceived> context)
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.Payment, new { m.PaymentId, m.TenantId, m.CustomerId, m.Amount, m.Currency, m.Method, m.OccurredAt });
    }

    public Task Consume(ConsumeContext<CreditNoteIssued> context)
    {
        var m = context.Message;
        return ExecuteAsync(context, AnalyticsSql.CreditNote, new { m.CreditNoteId, m.TenantId, m.CustomerId, m.InvoiceId, m.Amount, m.Currency, m.OccurredAt });
    }

    public Task Consume(ConsumeContext<DeviceDown> context) =>
        DeviceAsync(context, context.Message.TenantId, context.Message.DeviceId, context.Message.DeviceName, "down", context.Message.OccurredAt);

    public Task Consume(ConsumeContext<DeviceUp> context) =>
        DeviceAsync(context, context.Message.TenantId, context.Message.DeviceId, context.Message.DeviceName, "up", context.Message.OccurredAt);

    Task DeviceAsync(ConsumeContext context, Guid tenantId, Guid deviceId, string name, string kind, DateTimeOffset occurredAt) =>
        ExecuteAsync(context, AnalyticsSql.DeviceTransition,
            new { MessageId = MessageId(context), TenantId = tenantId, DeviceId = deviceId, DeviceName = name, Kind = kind, OccurredAt = occurredAt });
}
