namespace DotMac.Contracts.Billing;

// Billing's integration events and the commands of its billing-cycle saga. Amounts are decimal in the invoice's
// currency, already rounded to its minor unit.

/// <summary>ops (a tenant's recurring schedule) or staff: invoice the tenant's billing period that starts on <paramref name="PeriodStart"/> (null: the one under way now).</summary>
[PublishedBy("billing")]
public sealed record StartBillingCycleCommand(Guid TenantId, DateOnly? PeriodStart);

/// <summary>Every invoice of a billing cycle is issued.</summary>
[PublishedBy("billing")]
public sealed record BillingCycleCompleted(Guid TenantId, Guid CycleId, DateOnly PeriodStart, DateOnly PeriodEnd, int Invoices, DateTimeOffset OccurredAt) : IIntegrationEvent;

[PublishedBy("billing")]
public sealed record InvoiceIssued(
    Guid TenantId,
    Guid InvoiceId,
    Guid AccountId,
    Guid CustomerId,
    string Number,
    decimal Total,
    decimal AmountDue,
    string Currency,
    DateTimeOffset DueAt,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>A payment succeeded and was allocated to the account's oldest open invoices (the rest kept as credit).</summary>
[PublishedBy("billing")]
public sealed record PaymentReceived(
    Guid TenantId,
    Guid PaymentId,
    Guid AccountId,
    Guid CustomerId,
    decimal Amount,
    string Currency,
    string Method,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>An invoice passed its due date unpaid; its dunning starts.</summary>
[PublishedBy("billing")]
public sealed record InvoiceOverdue(Guid TenantId, Guid InvoiceId, Guid CustomerId, string Number, decimal AmountDue, string Currency, DateTimeOffset DueAt, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>Dunning's reminder: <paramref name="DaysOverdue"/> after the due date, the invoice is still open.</summary>
[PublishedBy("billing")]
public sealed record PaymentReminderDue(Guid TenantId, Guid InvoiceId, Guid CustomerId, string Number, decimal AmountDue, string Currency, int DaysOverdue, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>Dunning: suspend the customer's service (services suspends it, networking rejects or gardens the subscriber).</summary>
[PublishedBy("billing")]
public sealed record SuspensionRequested(Guid TenantId, Guid CustomerId, Guid ServiceId, Guid InvoiceId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>The debt that suspended the service is settled: services resumes it.</summary>
[PublishedBy("billing")]
public sealed record ServiceRestored(Guid TenantId, Guid CustomerId, Guid ServiceId, Guid InvoiceId, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>Dunning's last step: services terminates the service (its subscription ends, its address is released).</summary>
[PublishedBy("billing")]
public sealed record TerminationRequested(Guid TenantId, Guid CustomerId, Guid ServiceId, Guid InvoiceId, string Reason, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>An invoice has nothing left to pay (paid, credited or void): its dunning ends.</summary>
[PublishedBy("billing")]
public sealed record InvoiceSettled(Guid TenantId, Guid InvoiceId, Guid CustomerId, string Status, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// Money was applied to an invoice (<paramref name="Source"/>: "payment" or "credit_note", with its id): the invoice now
/// has <paramref name="AmountDue"/> left to pay and is <paramref name="Status"/> (partially_paid, overdue or paid). A
/// balance only goes down; an invoice paid in full also publishes InvoiceSettled.
/// </summary>
[PublishedBy("billing")]
public sealed record InvoiceBalanceChanged(
    Guid TenantId,
    Guid InvoiceId,
    Guid CustomerId,
    decimal Applied,
    decimal AmountDue,
    string Currency,
    string Status,
    string Source,
    Guid? PaymentId,
    Guid? CreditNoteId,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>A credit note (a refund or a correction) reduced an invoice's balance or added to the account's credit.</summary>
[PublishedBy("billing")]
public sealed record CreditNoteIssued(Guid TenantId, Guid CreditNoteId, Guid AccountId, Guid CustomerId, string Number, decimal Amount, string Currency, Guid? InvoiceId, DateTimeOffset OccurredAt) : IIntegrationEvent;
