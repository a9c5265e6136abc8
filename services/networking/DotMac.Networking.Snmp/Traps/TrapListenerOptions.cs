using System.Net;

namespace DotMac.Networking.Snmp.Traps;

/// <summary>Where a <see cref="TrapListener"/> listens and whom it believes.</summary>
public sealed record TrapListenerOptions
{
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Any, 162);

    /// <summary>Communities accepted from v1/v2c senders; anything else is dropped.</summary>
    public IReadOnlyCollection<string> Communities { get; init; } = [];

    /// <summary>SNMPv3 users accepted for traps (the sender's engine is authoritative) and informs (ours is).</summary>
    public IReadOnlyCollection<UsmUser> Users { get; init; } = [];

    /// <summary>Our engine ID, authoritative for v3 informs; a random one (RFC 3411 format 5) when not given.</summary>
    public byte[]? EngineId { get; init; }

    /// <summary>Notifications waiting for a reader before the oldest are dropped.</summary>
    public int Capacity { get; init; } = 10_000;
}
