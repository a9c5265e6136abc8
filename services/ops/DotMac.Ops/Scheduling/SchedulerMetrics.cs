using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.Ops.Scheduling;

internal static class SchedulerMetrics
{
    public static readonly Counter<long> Fired = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.scheduler.fired", "{message}", "Scheduled messages sent when due");

    public static readonly Histogram<double> Lateness = DotMacTelemetry.Meter.CreateHistogram<double>(
        "dotmac.scheduler.lateness", "s", "How long after its due time a scheduled message was confirmed by the broker");
}
