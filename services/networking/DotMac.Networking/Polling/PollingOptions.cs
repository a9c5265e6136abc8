namespace DotMac.Networking.Polling;

/// <summary>"Networking:Polling" in configuration.</summary>
public sealed class PollingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Polls running at once, over all devices and tenants.</summary>
    public int MaxConcurrentPolls { get; set; } = 64;

    /// <summary>The most one device's poll may take, retries included; then the device counts as down.</summary>
    public TimeSpan DeviceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SNMP retransmissions within <see cref="DeviceTimeout"/>.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>How often the scheduler looks for due devices.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(500);
}
