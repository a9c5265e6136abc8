using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.Networking.Polling;

/// <summary>Networking's instruments: SNMP polling, reachability and FreeRADIUS writes (deploy/observability reads them).</summary>
internal static class NetworkingMetrics
{
    public static readonly Counter<long> Polls = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.networking.polls", "{poll}", "SNMP polls (result: up or down)");

    public static readonly Histogram<double> PollDuration = DotMacTelemetry.Meter.CreateHistogram<double>(
        "dotmac.networking.poll.duration", "s", "Time one device's SNMP poll took, reading to samples written");

    public static readonly Counter<long> RadiusWrites = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.radius.writes", "{write}", "Subscriber profiles written to FreeRADIUS's tables (operation: replace or delete)");

    /// <summary>Each polled device's last reachability (a device not polled for 10 minutes is gone: deleted, or another replica's).</summary>
    public static readonly ConcurrentDictionary<Guid, (bool Up, long At)> Reachability = new();

    static readonly ObservableGauge<int> DevicesDown = DotMacTelemetry.Meter.CreateObservableGauge(
        "dotmac.devices.down", () =>
        {
            var recent = Environment.TickCount64 - (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
            return Reachability.Values.Count(r => !r.Up && r.At > recent);
        }, "{device}", "Devices whose last SNMP poll failed");

    /// <summary>From the start: the counters at zero, the gauge reporting.</summary>
    public static void Start()
    {
        DotMacTelemetry.StartAtZero(Polls, RadiusWrites);
        GC.KeepAlive(DevicesDown);
    }
}
