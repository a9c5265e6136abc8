using DotMac.Networking.Data;

namespace DotMac.Networking.Features;

/// <summary>A device as the API shows it: never its credentials.</summary>
public sealed record DeviceResponse(
    Guid Id,
    string Name,
    string? Site,
    string ManagementAddress,
    int SnmpPort,
    string SnmpVersion,
    int PollIntervalSeconds,
    string Status,
    DateTimeOffset? LastPolledAt,
    string? LastError,
    DateTimeOffset CreatedAt)
{
    internal static DeviceResponse From(DeviceRow row) => new(row.Id, row.Name, row.Site, row.ManagementAddress.ToString(), row.SnmpPort,
        row.SnmpVersion, row.PollIntervalSeconds, row.Status, row.LastPolledAt is { } polled ? new DateTimeOffset(polled, TimeSpan.Zero) : null,
        row.LastError, new DateTimeOffset(row.CreatedAt, TimeSpan.Zero));
}
