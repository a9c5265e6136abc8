namespace DotMac.Billing.Invoicing;

/// <summary>A line of an invoice being composed: a subscription's period, a proration, a one-time charge.</summary>
public sealed record DraftLine(string Kind, string Description, decimal Amount, Guid? SubscriptionId = null, Guid? ServiceId = null,
    DateOnly? PeriodStart = null, DateOnly? PeriodEnd = null, Guid? PendingChargeId = null);

/// <summary>
/// An invoice composed in memory before it is written: its lines, its taxes, and how much of it the account's credit
/// balance pays at once. Pure arithmetic (unit-tested with worked numbers); <see cref="InvoiceWriter"/> stores it.
/// </summary>
public sealed class InvoiceDraft
{
    public required Guid Id { get; init; }
    public required Guid TenantId { get; init; }
    public required Guid AccountId { get; init; }
    public required Guid CustomerId { get; init; }
    public Guid? CycleId { get; init; }
    public required string Currency { get; init; }
    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public required IReadOnlyList<DraftLine> Lines { get; init; }
    public required InvoiceTotals Totals { get; init; }

    /// <summary>Paid at issue from the account's credit balance.</summary>
    public decimal CreditApplied { get; init; }

    /// <summary>What a negative invoice (credits beyond charges) adds to the account's credit balance.</summary>
    public decimal CreditAdded { get; init; }

    public decimal AmountDue => Totals.Total > 0 ? Totals.Total - CreditApplied : 0;

    /// <summary>Composes an invoice from its lines: rounds nothing twice, taxes the sum, applies the available credit.</summary>
    public static InvoiceDraft Compose(Guid tenantId, Guid accountId, Guid customerId, string currency, IReadOnlyList<DraftLine> lines,
        IReadOnlyList<TaxRate> taxes, decimal availableCredit, Guid? cycleId = null, DateOnly? periodStart = null, DateOnly? periodEnd = null)
    {
        foreach (var line in lines)
        {
            if (!Money.IsExact(line.Amount, currency))
                throw new ArgumentException($"Line '{line.Description}' ({line.Amount}) is not rounded to {currency}'s minor unit.", nameof(lines));
        }
        var totals = Taxes.Compute(lines.Sum(l => l.Amount), taxes, currency);
        var applied = totals.Total > 0 ? Math.Min(availableCredit, totals.Total) : 0;
        return new InvoiceDraft
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            AccountId = accountId,
            CustomerId = customerId,
            CycleId = cycleId,
            Currency = currency,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            Lines = lines,
            Totals = totals,
            CreditApplied = applied,
            CreditAdded = totals.Total < 0 ? -totals.Total : 0,
        };
    }

    /// <summary>Issued, or paid when credit covers it (or nothing is owed).</summary>
    public string StatusAtIssue => AmountDue == 0 ? "paid" : "issued";
}
