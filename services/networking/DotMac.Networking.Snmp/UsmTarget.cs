using System.Net;

namespace DotMac.Networking.Snmp;

/// <summary>An SNMPv3 agent, the user to talk to it as, and the context (usually empty).</summary>
public sealed record UsmTarget(IPEndPoint EndPoint, UsmUser User, string ContextName = "") : SnmpTarget(EndPoint)
{
    public override SnmpVersion Version => SnmpVersion.V3;

    public override string ToString() => $"{EndPoint} (v3 {User})";
}
