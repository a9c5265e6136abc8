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
    public static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    public static readonly Oid SnmpTrapOid = Oid.Parse("1.3.6.1.6.3.1.1.4.1.0");
    public static readonly Oid LinkDown = Oid.Parse("1.3.6.1.6.3.1.1.5.3");
    public static readonly Oid LinkUp = Oid.Parse("1.3.6.1.6.3.1.1.5.4");
    static readonly Oid IfIndex = Oid.Parse("1.3.6.1.2.1.2.2.1.1");

    /// <summary>For linkDown/linkUp (or any trap carrying ifIndex.N): the interface's ifIndex.</summary>
    public int? InterfaceIndex
    {
        get
        {
            foreach (var vb in VarBinds)
            {
                if (vb.Oid.StartsWith(IfIndex) && vb.Oid.Length == IfIndex.Length + 1)
                    return (int)vb.Oid[IfIndex.Length];
            }
            return null;
        }
    }
}
