namespace DotMac.Billing.Invoicing;

/// <summary>
/// The one rounding rule of billing (docs/billing.md): every amount that is stored, shown or summed is rounded to its
/// currency's minor unit, half away from zero (0.005 USD -> 0.01, -0.005 -> -0.01, 0.5 JPY -> 1), once, at the point it
/// is computed: a prorated line, a tax of an invoice. Totals are sums of rounded amounts, so they add up exactly.
/// PostgreSQL's round(numeric, n) rounds the same way.
/// </summary>
public static class Money
{
    // ISO 4217 minor units of the currencies whose unit is not hundredths; every other active code has 2.
    static readonly Dictionary<string, int> MinorUnits = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    public static int MinorUnit(string currency) => MinorUnits.TryGetValue(currency, out var digits) ? digits : 2;

    public static decimal Round(decimal amount, string currency) => Math.Round(amount, MinorUnit(currency), MidpointRounding.AwayFromZero);

    /// <summary>True if <paramref name="amount"/> has no more decimals than the currency's minor unit.</summary>
    public static bool IsExact(decimal amount, string currency) => Round(amount, currency) == amount;
}
