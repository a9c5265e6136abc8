using System.Net;

namespace DotMac.Networking.Data;

/// <summary>A devices row as the API and the poller read it (credentials only when the poller claims it).</summary>
internal sealed class DeviceRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public string Name { get; init; } = "";
    public string? Site { get; init; }
    public IPAddress ManagementAddress { get; init; } = IPAddress.None;
    public string Status { get; init; } = "unknown";
    public int SnmpPort { get; init; }
    public string SnmpVersion { get; init; } = "v2c";
    public int PollIntervalSeconds { get; init; }
    public DateTime? LastPolledAt { get; init; }
    public string? LastError { get; init; }
    public DateTime CreatedAt { get; init; }
    public byte[]? Credentials { get; init; }
}
