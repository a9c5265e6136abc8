using Dapper;
using DotMac.Billing.Invoicing;
using DotMac.Billing.Tenants;
using Npgsql;

namespace DotMac.Billing.Subscriptions;

/// <summary>
/// The prorations a subscription's life causes inside a period, as pending charges its account's next invoice takes
/// (each once: its source key is unique): the part of the period after an activation, the unused part of a period
/// already invoiced when the subscription ends, and credit-and-charge when its price changes.
/// </summary>
internal static class SubscriptionCharges
{
    const string Insert = """
        insert into pending_charges (id, tenant_id, account_id, subscription_id, service_id, kind, description, period_start, period_end, amount, source_key)
        values (@Id, @TenantId, @AccountId, @SubscriptionId, @ServiceId, @Kind, @Description, @PeriodStart, @PeriodEnd, @Amount, @SourceKey)
        on conflict (tenant_id, source_key) do nothing
        """;

    /// <summary>From the activation day to the end of the tenant's period that contains it; the subscription is then billed through that day.</summary>
    public static async Task ActivateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionRow subscription, CancellationToken cancellationToken)
    {
        var tenant = await TenantBilling.GetAsync(connection, transaction, subscription.TenantId, cancellationToken);
        var monthly = Proration.PeriodContaining(subscription.ActivationDate, tenant.BillingDay);
        var period = Proration.PeriodFrom(monthly.Start, Proration.Months(subscription.BillingPeriod));
        var used = new DateSpan(subscription.ActivationDate, period.End);
        var currency = subscription.Currency.Trim();
        await AddAsync(connection, transaction, subscription, "proration_charge", $"{subscription.PlanName}, {used} of {period}",
            used, Proration.Prorate(subscription.Price, used, period, currency), $"activation:{subscription.Id}", cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update subscriptions set billed_through = @Through where id = @Id and tenant_id = @TenantId",
            new { subscription.Id, subscription.TenantId, Through = period.End }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The unused part (from <paramref name="endedOn"/>) of the period the subscription was billed through, credited.</summary>
    public static async Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionRow subscription, DateOnly endedOn, CancellationToken cancellationToken)
    {
        if (subscription.BilledThrough is not { } through || endedOn > through)
            return;
        var period = BilledPeriod(subscription, through);
        var unused = new DateSpan(endedOn < period.Start ? period.Start : endedOn, through);
        await AddAsync(connection, transaction, subscription, "proration_credit", $"{subscription.PlanName}, unused {unused} of {period}",
            unused, -Proration.Prorate(subscription.Price, unused, period, subscription.Currency.Trim()), $"end:{subscription.Id}", cancellationToken);
    }

    /// <summary>A new price from <paramref name="effective"/>: credit the old price's unused part, charge the new price's (when the period was invoiced).</summary>
    public static async Task ChangePriceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionRow subscription, string newPlanName,
        decimal newPrice, DateOnly effective, string changeKey, CancellationToken cancellationToken)
    {
        if (subscription.BilledThrough is not { } through || effective > through)
            return;
        var period = BilledPeriod(subscription, through);
        var rest = new DateSpan(effective < period.Start ? period.Start : effective, through);
        var (credit, charge) = Proration.Change(subscription.Price, newPrice, rest.Start, period, subscription.Currency.Trim());
        await AddAsync(connection, transaction, subscription, "proration_credit", $"{subscription.PlanName}, unused {rest} of {period}", rest, -credit,
            $"change:{changeKey}:credit", cancellationToken);
        await AddAsync(connection, transaction, subscription, "proration_charge", $"{newPlanName}, {rest} of {period}", rest, charge,
            $"change:{changeKey}:charge", cancellationToken);
    }

    /// <summary>
    /// Moves the subscription to another plan version from <paramref name="effective"/>: prorations for the part already
    /// invoiced, then the new plan and price. The same change again changes nothing (its charges' source keys are taken).
    /// </summary>
    public static async Task ChangePlanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionRow subscription, Guid planId, int planVersion,
        string planName, decimal price, DateOnly effective, CancellationToken cancellationToken)
    {
        if (subscription.PlanId == planId && subscription.PlanVersion == planVersion)
            return;
        await ChangePriceAsync(connection, transaction, subscription, planName, price, effective,
            $"{subscription.Id:N}:{planId:N}:{planVersion}:{effective:yyyy-MM-dd}", cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SubscriptionSql.ChangePlan, new
        {
            subscription.TenantId, subscription.Id, PlanId = planId, PlanVersion = planVersion, PlanName = planName, Price = price,
        }, transaction, cancellationToken: cancellationToken));
    }

    static DateSpan BilledPeriod(SubscriptionRow subscription, DateOnly through) =>
        new(through.AddDays(1).AddMonths(-Proration.Months(subscription.BillingPeriod)), through);

    static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionRow subscription, string kind, string description, DateSpan span,
        decimal amount, string sourceKey, CancellationToken cancellationToken) =>
        amount == 0 ? Task.CompletedTask : connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = Guid.CreateVersion7(),
            subscription.TenantId,
            subscription.AccountId,
            SubscriptionId = subscription.Id,
            subscription.ServiceId,
            Kind = kind,
            Description = description,
            PeriodStart = span.Start,
            PeriodEnd = span.End,
            Amount = amount,
            SourceKey = sourceKey,
        }, transaction, cancellationToken: cancellationToken));
}
