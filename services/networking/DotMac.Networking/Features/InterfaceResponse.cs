using DotMac.Networking.Data;

namespace DotMac.Networking.Features;

/// <summary>An interface as discovered from ifTable/ifXTable.</summary>
public sealed record InterfaceResponse(
    Guid Id,
    int IfIndex,
    string Name,
    string Description,
    string Alias,
    int IfType,
    long SpeedBps,
    int AdminStatus,
    int OperStatus,
    bool HighCapacity)
{
    internal static InterfaceResponse From(InterfaceRow row) => new(row.Id, row.IfIndex, row.Name, row.Description, row.Alias, row.IfType,
        row.SpeedBps, row.AdminStatus, row.OperStatus, row.HighCapacity);
}
