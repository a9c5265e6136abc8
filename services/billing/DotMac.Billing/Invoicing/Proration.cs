namespace DotMac.Billing.Invoicing;

/// <summary>A span of whole days, both ends included (a billing period, or the part of one a line covers).</summary>
public readonly record struct DateSpan(DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public override string ToString() => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}";
}

/// <summary>
/// Billing periods and proration by day. A tenant's periods start on its billing day (1-28) of each month; a
/// subscription's period is one, three or twelve of those months. A part of a period is charged
/// price x days used / days in the period, rounded once (<see cref="Money"/>): a 30.00 plan from day 16 of a 30-day period
/// is 30.00 x 15 / 30 = 15.00.
/// </summary>
public static class Proration
{
    public static int Months(string billingPeriod) => billingPeriod switch
    {
        "monthly" => 1,
        "quarterly" => 3,
        "yearly" => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(billingPeriod), billingPeriod, "monthly, quarterly or yearly"),
    };

    /// <summary>The tenant's monthly period that contains <paramref name="day"/>.</summary>
    public static DateSpan PeriodContaining(DateOnly day, int billingDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(billingDay, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(billingDay, 28);
        var start = new DateOnly(day.Year, day.Month, billingDay);
        if (day < start)
            start = start.AddMonths(-1);
        return new DateSpan(start, start.AddMonths(1).AddDays(-1));
    }

    /// <summary>The subscription's period of <paramref name="months"/> months that starts on <paramref name="start"/>.</summary>
    public static DateSpan PeriodFrom(DateOnly start, int months) => new(start, start.AddMonths(months).AddDays(-1));

    /// <summary>The price of <paramref name="used"/> out of <paramref name="period"/>, rounded to the currency's minor unit.</summary>
    public static decimal Prorate(decimal price, DateSpan used, DateSpan period, string currency)
    {
        if (used.Start < period.Start || used.End > period.End || used.Days <= 0)
            throw new ArgumentOutOfRangeException(nameof(used), used, $"must lie within {period}");
        return used.Days == period.Days ? Money.Round(price, currency) : Money.Round(price * used.Days / period.Days, currency);
    }

    /// <summary>
    /// A change of price on <paramref name="effective"/> inside a period already invoiced at the old price: the unused
    /// part of the old price is credited and the same part of the new price charged (30.00 -> 60.00 on day 11 of 30:
    /// credit 20.00, charge 40.00).
    /// </summary>
    public static (decimal Credit, decimal Charge) Change(decimal oldPrice, decimal newPrice, DateOnly effective, DateSpan period, string currency)
    {
        var rest = new DateSpan(effective, period.End);
        return (Prorate(oldPrice, rest, period, currency), Prorate(newPrice, rest, period, currency));
    }
}
