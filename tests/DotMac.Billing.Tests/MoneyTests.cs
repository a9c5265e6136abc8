using DotMac.Billing.Invoicing;
using NUnit.Framework;

namespace DotMac.Billing.Tests;

/// <summary>The worked numbers of billing's arithmetic: proration by day, taxes, rounding, currencies.</summary>
public class MoneyTests
{
    static readonly DateSpan June = new(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));

    [Test]
    public void A_30_plan_activated_on_day_16_of_a_30_day_period_is_charged_15()
    {
        Assert.That(June.Days, Is.EqualTo(30));
        var used = new DateSpan(new DateOnly(2026, 6, 16), June.End);
        Assert.That(Proration.Prorate(30.00m, used, June, "USD"), Is.EqualTo(15.00m));
    }

    [Test]
    public void An_upgrade_from_30_to_60_on_day_11_of_30_credits_20_and_charges_40()
    {
        var (credit, charge) = Proration.Change(30.00m, 60.00m, new DateOnly(2026, 6, 11), June, "USD");
        Assert.That((credit, charge), Is.EqualTo((20.00m, 40.00m)));
    }

    [Test]
    public void A_whole_period_is_the_price_and_a_day_is_its_share()
    {
        Assert.That(Proration.Prorate(30.00m, June, June, "USD"), Is.EqualTo(30.00m));
        var july = Proration.PeriodContaining(new DateOnly(2026, 7, 20), 1);
        Assert.That((july.Days, Proration.Prorate(31.00m, new DateSpan(july.End, july.End), july, "USD")), Is.EqualTo((31, 1.00m)));
    }

    [Test]
    public void Periods_start_on_the_billing_day()
    {
        Assert.That(Proration.PeriodContaining(new DateOnly(2026, 3, 14), 15), Is.EqualTo(new DateSpan(new DateOnly(2026, 2, 15), new DateOnly(2026, 3, 14))));
        Assert.That(Proration.PeriodContaining(new DateOnly(2026, 3, 15), 15), Is.EqualTo(new DateSpan(new DateOnly(2026, 3, 15), new DateOnly(2026, 4, 14))));
        Assert.That(Proration.PeriodFrom(new DateOnly(2026, 1, 5), Proration.Months("quarterly")).End, Is.EqualTo(new DateOnly(2026, 4, 4)));
        Assert.That(Proration.PeriodContaining(new DateOnly(2026, 2, 10), 5).Days, Is.EqualTo(28));
    }

    [Test]
    public void Exclusive_taxes_of_7_5_and_2_percent_on_49_99()
    {
        var totals = Taxes.Compute(49.99m, [new TaxRate("VAT", 7.5m, false), new TaxRate("Levy", 2m, false)], "USD");
        // 49.99 x 7.5% = 3.74925 -> 3.75; 49.99 x 2% = 0.9998 -> 1.00
        Assert.That(totals.Taxes.Select(t => t.Amount), Is.EqualTo(new[] { 3.75m, 1.00m }));
        Assert.That((totals.Net, totals.TaxTotal, totals.Total), Is.EqualTo((49.99m, 4.75m, 54.74m)));
    }

    [Test]
    public void An_inclusive_price_holds_its_tax()
    {
        var totals = Taxes.Compute(30.00m, [new TaxRate("VAT", 20m, true)], "GBP");
        // 30.00 x 20 / 120 = 5.00 of the price is tax
        Assert.That((totals.Net, totals.TaxTotal, totals.Total), Is.EqualTo((25.00m, 5.00m, 30.00m)));

        var odd = Taxes.Compute(49.99m, [new TaxRate("VAT", 7.5m, true)], "USD");
        // 49.99 x 7.5 / 107.5 = 3.48767... -> 3.49; net 46.50; the total stays the listed price
        Assert.That((odd.Net, odd.TaxTotal, odd.Total), Is.EqualTo((46.50m, 3.49m, 49.99m)));
    }

    [Test]
    public void Inclusive_and_exclusive_rates_together()
    {
        var totals = Taxes.Compute(110.00m, [new TaxRate("VAT", 10m, true), new TaxRate("Levy", 2m, false)], "USD");
        // VAT inside the price: 110 x 10/110 = 10.00, net 100.00; the levy on the net: 2.00, added
        Assert.That((totals.Net, totals.Taxes[0].Amount, totals.Taxes[1].Amount, totals.Total), Is.EqualTo((100.00m, 10.00m, 2.00m, 112.00m)));
    }

    [Test]
    public void Half_a_cent_rounds_away_from_zero_once()
    {
        Assert.That(Money.Round(0.005m, "USD"), Is.EqualTo(0.01m));
        Assert.That(Money.Round(-0.005m, "USD"), Is.EqualTo(-0.01m));
        Assert.That(Money.Round(0.0049m, "USD"), Is.EqualTo(0.00m));
        // 10% of 0.05 is exactly half a cent: 0.01
        Assert.That(Taxes.Compute(0.05m, [new TaxRate("VAT", 10m, false)], "USD").TaxTotal, Is.EqualTo(0.01m));
        // Taxed on the invoice's sum, not per line: three lines of 0.05 at 10% = round(0.015) = 0.02, not 3 x 0.01
        Assert.That(Taxes.Compute(0.15m, [new TaxRate("VAT", 10m, false)], "USD").TaxTotal, Is.EqualTo(0.02m));
        // 10.00 for 1 day of 3 is 3.333... -> 3.33; the other 2 days 6.666... -> 6.67: together the price
        var period = new DateSpan(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 3));
        Assert.That(Proration.Prorate(10.00m, new DateSpan(period.Start, period.Start), period, "USD")
            + Proration.Prorate(10.00m, new DateSpan(period.Start.AddDays(1), period.End), period, "USD"), Is.EqualTo(10.00m));
    }

    [Test]
    public void Three_currencies_with_three_minor_units()
    {
        var used = new DateSpan(new DateOnly(2026, 6, 16), June.End);
        Assert.That(Money.MinorUnit("JPY"), Is.EqualTo(0));
        Assert.That(Money.MinorUnit("USD"), Is.EqualTo(2));
        Assert.That(Money.MinorUnit("KWD"), Is.EqualTo(3));
        // 4,999 JPY for 15 of 30 days = 2,499.5 -> 2,500 yen
        Assert.That(Proration.Prorate(4999m, used, June, "JPY"), Is.EqualTo(2500m));
        // 9.999 KWD for 15 of 30 days = 4.9995 -> 5.000 (half away from zero at the third decimal)
        Assert.That(Proration.Prorate(9.999m, used, June, "KWD"), Is.EqualTo(5.000m));
        Assert.That(Proration.Prorate(9.999m, new DateSpan(June.Start, June.Start), June, "KWD"), Is.EqualTo(0.333m));
        var yen = Taxes.Compute(4999m, [new TaxRate("Consumption", 10m, false)], "JPY");
        Assert.That((yen.TaxTotal, yen.Total), Is.EqualTo((500m, 5499m)));
        Assert.That(Money.IsExact(12.345m, "KWD") && !Money.IsExact(12.345m, "USD") && !Money.IsExact(0.5m, "JPY"), Is.True);
    }

    [Test]
    public void An_invoice_takes_the_credit_it_can_and_a_negative_one_becomes_credit()
    {
        var lines = new[] { new DraftLine("recurring", "Fibre", 30.00m), new DraftLine("one_time", "Router", 20.00m) };
        var paidPart = InvoiceDraft.Compose(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "USD", lines, [new TaxRate("VAT", 10m, false)], 12.34m);
        Assert.That((paidPart.Totals.Total, paidPart.CreditApplied, paidPart.AmountDue, paidPart.StatusAtIssue), Is.EqualTo((55.00m, 12.34m, 42.66m, "issued")));

        var covered = InvoiceDraft.Compose(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "USD", lines, [], 80m);
        Assert.That((covered.CreditApplied, covered.AmountDue, covered.StatusAtIssue), Is.EqualTo((50.00m, 0m, "paid")));

        var negative = InvoiceDraft.Compose(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "USD", [new DraftLine("proration_credit", "Unused", -20.00m)], [], 0m);
        Assert.That((negative.CreditAdded, negative.AmountDue, negative.StatusAtIssue), Is.EqualTo((20.00m, 0m, "paid")));

        Assert.Throws<ArgumentException>(() => InvoiceDraft.Compose(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "JPY", [new DraftLine("one_time", "Half yen", 0.5m)], [], 0m));
    }
}
