using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DotMac.ServiceDefaults.Telemetry;

/// <summary>The activity source and meter of DotMac's own code (migrations, messaging plumbing, sagas).</summary>
public static class DotMacTelemetry
{
    public const string SourceName = "DotMac";
    public const string MeterName = "DotMac";

    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(MeterName);
}
