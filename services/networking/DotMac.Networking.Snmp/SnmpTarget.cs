using System.Net;

namespace DotMac.Networking.Snmp;

/// <summary>An agent and how to talk to it. <see cref="Timeout"/> and <see cref="Retries"/> override the client's.</summary>
public abstract record SnmpTarget(IPEndPoint EndPoint)
{
    public TimeSpan? Timeout { get; init; }

    public int? Retries { get; init; }

    public abstract SnmpVersion Version { get; }
}
