using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.Billing;

/// <summary>Business counters of billing (deploy/observability's KPI dashboard reads them).</summary>
internal static class BillingMetrics
{
    public static readonly Counter<long> InvoicesIssued = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.invoices.issued", "{invoice}", "Invoices issued (by currency)");

    static readonly Counter<long> Payments = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.payments.collected", "{payment}", "Payments that succeeded (by currency)");

    static readonly Counter<double> Amount = DotMacTelemetry.Meter.CreateCounter<double>(
        "dotmac.payments.amount", null, "Amount collected, in the currency's units (by currency)");

    public static void Start() => DotMacTelemetry.StartAtZero(InvoicesIssued, Payments, Amount);

    public static void Collected(decimal amount, string currency)
    {
        var tag = new KeyValuePair<string, object?>("currency", currency);
        Payments.Add(1, tag);
        Amount.Add((double)amount, tag);
    }
}
