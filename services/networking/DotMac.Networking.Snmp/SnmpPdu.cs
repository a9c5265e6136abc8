using System.Net;

namespace DotMac.Networking.Snmp;

/// <summary>
/// A PDU. For GetBulkRequest, <see cref="ErrorStatus"/> and <see cref="ErrorIndex"/> carry non-repeaters and
/// max-repetitions, as on the wire. The v1 Trap-PDU's own fields are set only for <see cref="PduType.TrapV1"/>.
/// </summary>
public sealed record SnmpPdu(PduType Type, int RequestId, int ErrorStatus, int ErrorIndex, IReadOnlyList<VarBind> VarBinds)
{
    public Oid? Enterprise { get; init; }

    public IPAddress? AgentAddress { get; init; }

    public int GenericTrap { get; init; }

    public int SpecificTrap { get; init; }

    public uint TimeStamp { get; init; }

    public static SnmpPdu Bulk(int requestId, int nonRepeaters, int maxRepetitions, IReadOnlyList<VarBind> varBinds) =>
        new(PduType.GetBulkRequest, requestId, nonRepeaters, maxRepetitions, varBinds);
}
