using System.Net;

namespace DotMac.Networking.Snmp.Traps;

/// <summary>
/// A notification as received: who sent it, how (version, community or user), and in SNMPv2 form (RFC 3584 section
/// 3.1 maps a v1 Trap-PDU to the same snmpTrapOID and varbinds).
/// </summary>
public sealed record ReceivedTrap(
    IPEndPoint Source,
    SnmpVersion Version,
    bool IsInform,
    string SecurityName,
    Oid TrapOid,
    uint UpTime,
    IReadOnlyList<VarBind> VarBinds,
    DateTimeOffset ReceivedAt)
{
    /// <summary>For linkDown/linkUp (or any trap carrying ifIndex.N): the interface's ifIndex.</summary>
    public int? InterfaceIndex
    {
        get
        {
            foreach (var vb in VarBinds)
            {
                if (vb.Oid.StartsWith(Mib.IfIndex) && vb.Oid.Length == Mib.IfIndex.Length + 1)
                    return (int)vb.Oid[Mib.IfIndex.Length];
            }
            return null;
        }
    }
}
