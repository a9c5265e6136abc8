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

    static readonly List<Instrument> Zeroed = [];
    static bool _listening;

    /// <summary>
    /// Counters that report 0 from the start instead of appearing with their first event (Prometheus' advice: a series
    /// that exists makes rate(), increase() and alerts on it work before the first dead letter, failure or reuse).
    /// </summary>
    public static void StartAtZero(params Instrument[] counters)
    {
        lock (Zeroed)
        {
            Zeroed.AddRange(counters);
            if (_listening)
                Zero(counters);
        }
    }

    /// <summary>Called once the meter provider listens, so the zeros are not recorded into nothing.</summary>
    internal static void Listening()
    {
        lock (Zeroed)
        {
            _listening = true;
            Zero(Zeroed);
        }
    }

    static void Zero(IEnumerable<Instrument> counters)
    {
        foreach (var counter in counters)
        {
            switch (counter)
            {
                case Counter<long> l:
                    l.Add(0);
                    break;
                case Counter<double> d:
                    d.Add(0);
                    break;
            }
        }
    }
}
