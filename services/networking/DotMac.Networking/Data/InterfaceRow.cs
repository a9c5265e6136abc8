namespace DotMac.Networking.Data;

/// <summary>An interfaces row.</summary>
internal sealed class InterfaceRow
{
    public Guid Id { get; init; }
    public Guid DeviceId { get; init; }
    public int IfIndex { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Alias { get; init; } = "";
    public int IfType { get; init; }
    public long SpeedBps { get; init; }
    public int AdminStatus { get; init; }
    public int OperStatus { get; init; }
    public bool HighCapacity { get; init; }
    public DateTime DiscoveredAt { get; init; }
}
