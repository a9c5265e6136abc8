using System.Net;

namespace DotMac.Networking.Snmp.Ber;

/// <summary>Encodes and decodes PDUs (RFC 3416, and RFC 1157's Trap-PDU).</summary>
internal static class PduCodec
{
    public static void Write(BerWriter writer, SnmpPdu pdu)
    {
        var mark = writer.BeginConstructed((byte)pdu.Type);
        if (pdu.Type == PduType.TrapV1)
        {
            writer.WriteOid(pdu.Enterprise ?? new Oid(0, 0));
            writer.WriteOctetString((pdu.AgentAddress ?? IPAddress.Any).GetAddressBytes(), (byte)SnmpType.IpAddress);
            writer.WriteInteger(pdu.GenericTrap);
            writer.WriteInteger(pdu.SpecificTrap);
            writer.WriteUnsigned(pdu.TimeStamp, (byte)SnmpType.TimeTicks);
        }
        else
        {
            writer.WriteInteger(pdu.RequestId);
            writer.WriteInteger(pdu.ErrorStatus);
            writer.WriteInteger(pdu.ErrorIndex);
        }
        writer.BeginSequence(out var list);
        foreach (var vb in pdu.VarBinds)
        {
            writer.BeginSequence(out var item);
            writer.WriteOid(vb.Oid);
            writer.WriteValue(vb.Value);
            writer.End(item);
        }
        writer.End(list);
        writer.End(mark);
    }

    public static SnmpPdu Read(ref BerReader reader)
    {
        var content = reader.ReadElement(out var tag, out var offset);
        if (tag is < (byte)PduType.GetRequest or > (byte)PduType.Report)
            throw new SnmpDecodeException($"Expected a PDU, found tag 0x{tag:x2}");
        var pdu = new BerReader(content, offset);
        var type = (PduType)tag;
        SnmpPdu result;
        if (type == PduType.TrapV1)
        {
            var enterprise = pdu.ReadOid("enterprise");
            var address = pdu.ReadExpected((byte)SnmpType.IpAddress, "agent-addr");
            if (address.Length != 4)
                throw new SnmpDecodeException($"agent-addr of {address.Length} octets");
            var generic = pdu.ReadInt32("generic-trap");
            var specific = pdu.ReadInt32("specific-trap");
            var stamp = BerReader.DecodeUnsigned(pdu.ReadExpected((byte)SnmpType.TimeTicks, "time-stamp"), "time-stamp");
            result = new SnmpPdu(type, 0, 0, 0, ReadVarBinds(ref pdu))
            {
                Enterprise = enterprise,
                AgentAddress = new IPAddress(address),
                GenericTrap = generic,
                SpecificTrap = specific,
                TimeStamp = (uint)(stamp & uint.MaxValue),
            };
        }
        else
        {
            var requestId = pdu.ReadInt32("request-id");
            var status = pdu.ReadInt32("error-status");
            var index = pdu.ReadInt32("error-index");
            result = new SnmpPdu(type, requestId, status, index, ReadVarBinds(ref pdu));
        }
        pdu.EnsureEnd("the PDU");
        return result;
    }

    static List<VarBind> ReadVarBinds(ref BerReader pdu)
    {
        var list = pdu.ReadSequence("variable-bindings");
        var varBinds = new List<VarBind>();
        while (list.HasMore)
        {
            var item = list.ReadSequence("VarBind");
            var oid = item.ReadOid("name");
            var value = item.ReadValue();
            item.EnsureEnd("a VarBind");
            varBinds.Add(new VarBind(oid, value));
        }
        return varBinds;
    }
}
