using DotMac.ServiceDefaults.Data;

namespace DotMac.Billing.Payments;

/// <summary>
/// A payment POST: the account (or the customer whose account it is), the amount in the account's currency, and the
/// method (manual, bank_transfer with the bank's reference, or card with the card).
/// </summary>
public sealed record PaymentRequest(decimal Amount, string Method, Guid? AccountId = null, Guid? CustomerId = null, string? Currency = null, string? Reference = null,
    CardDetails? Card = null);

public sealed record PaymentResponse(Guid Id, Guid AccountId, Guid CustomerId, string Method, decimal Amount, string Currency, string Status, string? Reference,
    string? ProviderReference, string? FailureReason, int Attempts, IReadOnlyList<AllocationResponse> Allocations, decimal KeptAsCredit, DateTimeOffset CreatedAt);

public sealed record AllocationResponse(Guid InvoiceId, string? InvoiceNumber, string Source, decimal Amount);

/// <summary>A credit note: a refund or a correction, against one invoice or the account (credit kept for the next cycle).</summary>
public sealed record CreditNoteRequest(Guid AccountId, decimal Amount, string Reason, Guid? InvoiceId = null, Guid? PaymentId = null);

public sealed record CreditNoteResponse(Guid Id, Guid AccountId, Guid CustomerId, string Number, decimal Amount, string Currency, string Reason, Guid? InvoiceId,
    Guid? PaymentId, DateTimeOffset CreatedAt);

internal sealed class PaymentRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid AccountId { get; init; }
    public Guid CustomerId { get; init; }
    public string Method { get; init; } = "";
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reference { get; init; }
    public string? ProviderReference { get; init; }
    public string? FailureReason { get; init; }
    public int Attempts { get; init; }
    public string RequestHash { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}

internal sealed class CreditNoteRow
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public Guid CustomerId { get; init; }
    public string Number { get; init; } = "";
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Reason { get; init; } = "";
    public Guid? InvoiceId { get; init; }
    public Guid? PaymentId { get; init; }
    public string RequestHash { get; init; } = "";
    public DateTime CreatedAt { get; init; }

    public CreditNoteResponse ToResponse() => new(Id, AccountId, CustomerId, Number, Invoicing.Money.Round(Amount, Currency.Trim()), Currency.Trim(), Reason, InvoiceId, PaymentId, Times.Utc(CreatedAt));
}

internal sealed class AllocationRow
{
    public Guid PaymentId { get; init; }
    public Guid InvoiceId { get; init; }
    public string? InvoiceNumber { get; init; }
    public string Source { get; init; } = "";
    public decimal Amount { get; init; }
}
