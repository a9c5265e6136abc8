using DotMac.Analytics.Data;
using DotMac.Contracts;
using DotMac.Contracts.Billing;
using DotMac.Contracts.Networking;
using DotMac.Contracts.Platform;
using DotMac.Contracts.Provisioning;
using DotMac.Contracts.Services;

namespace DotMac.Analytics.Consumers;

/// <summary>
/// What one integration event writes into the read models: the statement and its parameters. The live consumers and
/// the rebuild from the events service's history both apply events through this, so they cannot disagree.
/// Every statement is idempotent (keyed by the message id or the fact's own id).
/// </summary>
public static class Projection
{
    /// <summary>The events the read models are made of.</summary>
    public static readonly IReadOnlyList<Type> Events =
    [
        typeof(ServiceOrderSubmitted), typeof(ServiceActivated), typeof(ProvisioningFailed), typeof(ServicePlanChanged), typeof(ServiceSuspended),
        typeof(ServiceResumed), typeof(ServiceTerminated), typeof(TenantCreated), typeof(TenantBillingSettingsChanged),
        typeof(InvoiceIssued), typeof(InvoiceBalanceChanged), typeof(InvoiceSettled), typeof(PaymentReceived), typeof(CreditNoteIssued),
        typeof(DeviceDown), typeof(DeviceUp), typeof(IpAssigned),
    ];

    public static (string Sql, object Parameters) Of(Guid messageId, IIntegrationEvent message) => message switch
    {
        ServiceOrderSubmitted m => Transition(messageId, m, m.ServiceId, m.OrderId, m.CustomerId, m.PlanId, "submitted", null),
        ServiceActivated m => Transition(messageId, m, m.ServiceId, m.OrderId, m.CustomerId, m.PlanId, "activated", null, Price.Of(m.Price, m.Currency, m.BillingPeriod)),
        ProvisioningFailed m => Transition(messageId, m, m.ServiceId, m.OrderId, m.CustomerId, null, "failed", $"{m.Step}: {m.Reason}"),
        ServicePlanChanged m => Transition(messageId, m, m.ServiceId, m.OrderId, m.CustomerId, m.PlanId, "plan_changed",
            $"{m.PreviousPlanId} v{m.PreviousPlanVersion} -> {m.PlanId} v{m.PlanVersion}", Price.Of(m.Price, m.Currency, m.BillingPeriod)),
        ServiceSuspended m => Transition(messageId, m, m.ServiceId, null, m.CustomerId, null, "suspended", m.Reason),
        ServiceResumed m => Transition(messageId, m, m.ServiceId, null, m.CustomerId, null, "resumed", null),
        ServiceTerminated m => Transition(messageId, m, m.ServiceId, null, m.CustomerId, null, "terminated", m.Reason),
        TenantCreated m => (AnalyticsSql.UpsertTenant, new { m.TenantId, m.TimeZone, m.Currency, Version = 0 }),
        TenantBillingSettingsChanged m => (AnalyticsSql.UpsertTenant, new { m.TenantId, m.TimeZone, m.Currency, Version = m.SettingsVersion }),
        InvoiceIssued m => (AnalyticsSql.Invoice, new { m.InvoiceId, m.TenantId, m.CustomerId, m.Number, m.Total, m.AmountDue, m.Currency, m.OccurredAt, m.DueAt }),
        InvoiceBalanceChanged m => (AnalyticsSql.InvoiceChange, new { MessageId = messageId, m.TenantId, m.InvoiceId, m.AmountDue, m.Status, m.OccurredAt }),
        // Paid, credited or void: nothing is left to pay.
        InvoiceSettled m => (AnalyticsSql.InvoiceChange, new { MessageId = messageId, m.TenantId, m.InvoiceId, AmountDue = 0m, m.Status, m.OccurredAt }),
        PaymentReceived m => (AnalyticsSql.Payment, new { m.PaymentId, m.TenantId, m.CustomerId, m.Amount, m.Currency, m.Method, m.OccurredAt }),
        CreditNoteIssued m => (AnalyticsSql.CreditNote, new { m.CreditNoteId, m.TenantId, m.CustomerId, m.InvoiceId, m.Amount, m.Currency, m.OccurredAt }),
        IpAssigned m => (AnalyticsSql.OrderSite, new { m.OrderId, m.TenantId, m.Site, m.OccurredAt }),
        DeviceDown m => Device(messageId, m.TenantId, m.DeviceId, m.DeviceName, "down", m.OccurredAt),
        DeviceUp m => Device(messageId, m.TenantId, m.DeviceId, m.DeviceName, "up", m.OccurredAt),
        _ => throw new ArgumentException($"{message.GetType().Name} is no event of analytics' read models.", nameof(message)),
    };

    static (string, object) Transition(Guid messageId, IIntegrationEvent m, Guid serviceId, Guid? orderId, Guid customerId, Guid? planId, string kind, string? detail,
        Price? price = null) => (AnalyticsSql.Transition, new
    {
        MessageId = messageId, m.TenantId, ServiceId = serviceId, OrderId = orderId, CustomerId = customerId, PlanId = planId, Kind = kind, m.OccurredAt,
        Detail = detail, Price = price?.Amount, price?.Currency, price?.BillingPeriod, price?.MonthlyPrice,
    });

    static (string, object) Device(Guid messageId, Guid tenantId, Guid deviceId, string name, string kind, DateTimeOffset occurredAt) =>
        (AnalyticsSql.DeviceTransition, new { MessageId = messageId, TenantId = tenantId, DeviceId = deviceId, DeviceName = name, Kind = kind, OccurredAt = occurredAt });
}

/// <summary>A plan's price per billing period, and its monthly equivalent (quarterly / 3, yearly / 12).</summary>
public sealed record Price(decimal Amount, string Currency, string BillingPeriod)
{
    public decimal MonthlyPrice => Amount / BillingPeriod switch { "quarterly" => 3, "yearly" => 12, _ => 1 };

    /// <summary>None when the event predates prices on the bus.</summary>
    public static Price? Of(decimal? amount, string? currency, string? billingPeriod) =>
        amount is { } a && currency is { } c ? new Price(a, c, billingPeriod ?? "monthly") : null;
}
