namespace DotMac.Networking.Traps;

/// <summary>An SNMPv3 user trusted for traps and informs (protocol names as the device API takes them).</summary>
public sealed class TrapUserOptions
{
    public string Name { get; set; } = "";
    public string AuthProtocol { get; set; } = "none";
    public string? AuthPassword { get; set; }
    public string PrivProtocol { get; set; } = "none";
    public string? PrivPassword { get; set; }
}
