namespace DotMac.Billing.Subscriptions;

internal sealed class AccountRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid CustomerId { get; init; }
    public string? Currency { get; init; }
    public string Status { get; init; } = "";
    public decimal CreditBalance { get; init; }
    public DateTime CreatedAt { get; init; }

    public AccountResponse ToResponse() => new(Id, CustomerId, Currency?.Trim(), Status, Invoicing.Money.Round(CreditBalance, Currency?.Trim() ?? ""), new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
}

internal sealed class SubscriptionRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid AccountId { get; init; }
    public Guid CustomerId { get; init; }
    public Guid OrderId { get; init; }
    public Guid ServiceId { get; init; }
    public Guid PlanId { get; init; }
    public int PlanVersion { get; init; }
    public string PlanName { get; init; } = "";
    public decimal Price { get; init; }
    public string Currency { get; init; } = "";
    public string BillingPeriod { get; init; } = "";
    public DateOnly ActivationDate { get; init; }
    public string Status { get; init; } = "";
    public DateOnly? BilledThrough { get; init; }
    public bool Suspended { get; init; }
    public DateOnly? EndedOn { get; init; }
    public DateTime? CancelledAt { get; init; }
    public string? CancelReason { get; init; }
    public DateTime CreatedAt { get; init; }

    public SubscriptionResponse ToResponse() => new(Id, AccountId, CustomerId, OrderId, ServiceId, PlanId, PlanVersion, PlanName, Invoicing.Money.Round(Price, Currency.Trim()), Currency.Trim(), BillingPeriod,
        ActivationDate, Status, BilledThrough, Suspended, EndedOn, CancelledAt is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : null, CancelReason,
        new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
}

public sealed record AccountResponse(Guid Id, Guid CustomerId, string? Currency, string Status, decimal CreditBalance, DateTimeOffset CreatedAt);

public sealed record SubscriptionResponse(Guid Id, Guid AccountId, Guid CustomerId, Guid OrderId, Guid ServiceId, Guid PlanId, int PlanVersion, string PlanName,
    decimal Price, string Currency, string BillingPeriod, DateOnly ActivationDate, string Status, DateOnly? BilledThrough, bool Suspended, DateOnly? EndedOn,
    DateTimeOffset? CancelledAt, string? CancelReason,
    DateTimeOffset CreatedAt);
