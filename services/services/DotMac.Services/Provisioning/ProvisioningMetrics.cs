using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.Services.Provisioning;

/// <summary>Business counters of provisioning (deploy/observability's KPI dashboard reads them).</summary>
internal static class ProvisioningMetrics
{
    public static readonly Counter<long> Submitted = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.orders.submitted", "{order}", "Service orders accepted");

    public static readonly Counter<long> Activated = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.orders.activated", "{order}", "Service orders that became active");

    public static readonly Counter<long> Failed = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.orders.failed", "{order}", "Service orders that failed (by the step that failed)");

    public static readonly Counter<long> Suspended = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.services.suspended", "{service}", "Services suspended (dunning or staff)");

    public static readonly Counter<long> Restored = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.services.restored", "{service}", "Suspended services resumed");
}
