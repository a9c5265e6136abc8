using DotMac.ServiceDefaults.Data;

namespace DotMac.Billing.Invoicing;

public sealed record InvoiceLineResponse(int Position, string Kind, string Description, Guid? SubscriptionId, Guid? ServiceId, DateOnly? PeriodStart,
    DateOnly? PeriodEnd, decimal Amount);

public sealed record InvoiceTaxResponse(string Name, decimal Percent, bool Inclusive, decimal TaxableAmount, decimal Amount);

public sealed record InvoiceResponse(Guid Id, string? Number, Guid AccountId, Guid CustomerId, Guid? CycleId, string Status, string Currency, DateOnly? PeriodStart,
    DateOnly? PeriodEnd, decimal LinesTotal, decimal Net, decimal TaxTotal, decimal Total, decimal AmountPaid, decimal AmountCredited, decimal AmountDue,
    DateTimeOffset? IssuedAt, DateTimeOffset? DueAt, DateTimeOffset? SettledAt, string DunningStage, string? VoidReason,
    IReadOnlyList<InvoiceLineResponse>? Lines, IReadOnlyList<InvoiceTaxResponse>? Taxes);

/// <summary>A one-time charge for the account's next invoice (an installation fee, a router).</summary>
public sealed record ChargeRequest(string Description, decimal Amount);

public sealed record ChargeResponse(Guid Id, Guid AccountId, string Kind, string Description, decimal Amount, Guid? InvoiceId, DateTimeOffset CreatedAt);

public sealed record VoidRequest(string Reason);

internal sealed class InvoiceRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public string? Number { get; init; }
    public Guid AccountId { get; init; }
    public Guid CustomerId { get; init; }
    public Guid? CycleId { get; init; }
    public string Status { get; init; } = "";
    public string Currency { get; init; } = "";
    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public decimal LinesTotal { get; init; }
    public decimal Net { get; init; }
    public decimal TaxTotal { get; init; }
    public decimal Total { get; init; }
    public decimal AmountPaid { get; init; }
    public decimal AmountCredited { get; init; }
    public DateTime? IssuedAt { get; init; }
    public DateTime? DueAt { get; init; }
    public DateTime? SettledAt { get; init; }
    public string DunningStage { get; init; } = "";
    public string? VoidReason { get; init; }

    public decimal AmountDue => Status is "paid" or "void" ? 0 : Math.Max(0, Total - AmountPaid - AmountCredited);

    public InvoiceResponse ToResponse(IReadOnlyList<InvoiceLineResponse>? lines = null, IReadOnlyList<InvoiceTaxResponse>? taxes = null) =>
        new(Id, Number, AccountId, CustomerId, CycleId, Status, Currency.Trim(), PeriodStart, PeriodEnd, Strip(LinesTotal), Strip(Net), Strip(TaxTotal),
            Strip(Total), Strip(AmountPaid), Strip(AmountCredited), Strip(AmountDue), Times.Utc(IssuedAt), Times.Utc(DueAt), Times.Utc(SettledAt), DunningStage,
            VoidReason, lines, taxes);

    /// <summary>numeric(19,4) reads as 15.0000: answer in the currency's minor unit (15.00, 1500 JPY).</summary>
    decimal Strip(decimal amount) => Math.Round(amount, Money.MinorUnit(Currency.Trim()), MidpointRounding.AwayFromZero);
}

internal sealed class InvoiceLineRow
{
    public int Position { get; init; }
    public string Kind { get; init; } = "";
    public string Description { get; init; } = "";
    public Guid? SubscriptionId { get; init; }
    public Guid? ServiceId { get; init; }
    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public decimal Amount { get; init; }
}

internal sealed class InvoiceTaxRow
{
    public string Name { get; init; } = "";
    public decimal Percent { get; init; }
    public bool Inclusive { get; init; }
    public decimal TaxableAmount { get; init; }
    public decimal Amount { get; init; }
}
