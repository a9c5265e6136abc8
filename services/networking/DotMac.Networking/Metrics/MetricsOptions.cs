namespace DotMac.Networking.Metrics;

/// <summary>"Networking:Metrics": how long raw samples are kept and how far ahead partitions exist.</summary>
public sealed class MetricsOptions
{
    public int RetentionDays { get; set; } = 14;

    public int PartitionsAheadDays { get; set; } = 3;

    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(5);
}
