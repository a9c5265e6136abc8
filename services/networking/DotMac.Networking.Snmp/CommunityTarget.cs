using System.Net;

namespace DotMac.Networking.Snmp;

/// <summary>An SNMPv1 or SNMPv2c agent and its community (not shown by <see cref="ToString"/>).</summary>
public sealed record CommunityTarget(IPEndPoint EndPoint, string Community, SnmpVersion CommunityVersion = SnmpVersion.V2c) : SnmpTarget(EndPoint)
{
    public override SnmpVersion Version => CommunityVersion;

    public override string ToString() => $"{EndPoint} ({Version})";
}
