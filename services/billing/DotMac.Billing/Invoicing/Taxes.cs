namespace DotMac.Billing.Invoicing;

/// <summary>A tenant's tax, in percent.</summary>
public sealed record TaxRate(string Name, decimal Percent, bool Inclusive);

/// <summary>One tax of an invoice: its rate, the base it was computed on, and the amount.</summary>
public sealed record TaxAmount(string Name, decimal Percent, bool Inclusive, decimal TaxableAmount, decimal Amount);

/// <summary>An invoice's sums: lines in the listed prices, the net without any tax, each tax, what is owed.</summary>
public sealed record InvoiceTotals(decimal LinesTotal, decimal Net, IReadOnlyList<TaxAmount> Taxes, decimal TaxTotal, decimal Total);

/// <summary>
/// Taxes of an invoice (up to three rates per tenant), computed on the invoice's sum of lines, each rounded once:
/// <list type="bullet">
/// <item>inclusive rates are part of the listed prices: with inclusive rates r1..rn, each tax is
/// round(lines x ri / (1 + r1 + .. + rn)) and the net is the lines minus those taxes, so net + taxes = the lines exactly;</item>
/// <item>exclusive rates are added on the net: round(net x ri) each; total = lines + the exclusive taxes.</item>
/// </list>
/// 49.99 with 7.5% and 2% exclusive: 3.75 + 1.00, total 54.74. 30.00 with 20% inclusive: tax 5.00, net 25.00, total 30.00.
/// A negative invoice (credits beyond charges) gets negative taxes the same way.
/// </summary>
public static class Taxes
{
    public static InvoiceTotals Compute(decimal linesTotal, IReadOnlyList<TaxRate> rates, string currency)
    {
        if (rates.Count > 3)
            throw new ArgumentException("At most three tax rates.", nameof(rates));
        var inclusiveShare = rates.Where(r => r.Inclusive).Sum(r => r.Percent / 100m);
        var taxes = new List<TaxAmount>(rates.Count);
        var net = linesTotal;
        foreach (var rate in rates.Where(r => r.Inclusive))
        {
            var amount = Money.Round(linesTotal * (rate.Percent / 100m) / (1 + inclusiveShare), currency);
            taxes.Add(new TaxAmount(rate.Name, rate.Percent, true, linesTotal, amount));
            net -= amount;
        }
        var exclusive = 0m;
        foreach (var rate in rates.Where(r => !r.Inclusive))
        {
            var amount = Money.Round(net * rate.Percent / 100m, currency);
            taxes.Add(new TaxAmount(rate.Name, rate.Percent, false, net, amount));
            exclusive += amount;
        }
        // Keep the tenant's order of rates on the invoice.
        taxes.Sort((a, b) => IndexOf(rates, a.Name).CompareTo(IndexOf(rates, b.Name)));
        return new InvoiceTotals(linesTotal, net, taxes, taxes.Sum(t => t.Amount), linesTotal + exclusive);
    }

    static int IndexOf(IReadOnlyList<TaxRate> rates, string name)
    {
        for (var i = 0; i < rates.Count; i++)
        {
            if (rates[i].Name == name)
                return i;
        }
        return -1;
    }
}
