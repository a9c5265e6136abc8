using DotMac.ServiceDefaults.Data;

namespace DotMac.Billing.Cycles;

internal sealed class CycleRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public DateOnly PeriodStart { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public string Status { get; init; } = "";
    public Guid? AccountCursor { get; init; }
    public int Batches { get; init; }
    public int Invoices { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    public CycleResponse ToResponse() => new(Id, PeriodStart, PeriodEnd, Status, Batches, Invoices, Times.Utc(StartedAt), Times.Utc(CompletedAt));
}

public sealed record CycleResponse(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd, string Status, int Batches, int Invoices, DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt);

internal sealed class CycleAccount
{
    public Guid Id { get; init; }
    public Guid CustomerId { get; init; }
    public string? Currency { get; init; }
    public decimal CreditBalance { get; init; }
}

internal sealed class BillableSubscription
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public Guid ServiceId { get; init; }
    public string PlanName { get; init; } = "";
    public decimal Price { get; init; }
    public string Currency { get; init; } = "";
    public string BillingPeriod { get; init; } = "";
}

internal sealed class PendingCharge
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public Guid? SubscriptionId { get; init; }
    public Guid? ServiceId { get; init; }
    public string Kind { get; init; } = "";
    public string Description { get; init; } = "";
    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public decimal Amount { get; init; }

    public Invoicing.DraftLine ToLine() => new(Kind, Description, Amount, SubscriptionId, ServiceId, PeriodStart, PeriodEnd, Id);
}
