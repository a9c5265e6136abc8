using System.Text;
using DotMac.Networking.Snmp.Ber;

namespace DotMac.Networking.Snmp;

/// <summary>An SNMPv1 or SNMPv2c message: version, community and one PDU (RFC 1157 / RFC 1901).</summary>
public sealed record CommunityMessage(SnmpVersion Version, byte[] Community, SnmpPdu Pdu)
{
    public CommunityMessage(SnmpVersion version, string community, SnmpPdu pdu)
        : this(version, Encoding.UTF8.GetBytes(community), pdu)
    {
    }

    public string CommunityText => Encoding.UTF8.GetString(Community);

    public byte[] Encode()
    {
        var writer = new BerWriter();
        Write(writer);
        return writer.ToArray();
    }

    internal void Write(BerWriter writer)
    {
        if (Version == SnmpVersion.V3)
            throw new InvalidOperationException("SNMPv3 messages are not community messages");
        writer.BeginSequence(out var mark);
        writer.WriteInteger((int)Version);
        writer.WriteOctetString(Community);
        PduCodec.Write(writer, Pdu);
        writer.End(mark);
    }

    /// <summary>Decodes a v1/v2c message; throws only <see cref="SnmpDecodeException"/>.</summary>
    public static CommunityMessage Decode(ReadOnlySpan<byte> data)
    {
        var outer = new BerReader(data);
        var message = outer.ReadSequence("Message");
        var version = message.ReadInteger("msgVersion");
        if (version is not (0 or 1))
            throw new SnmpDecodeException($"Not a community message: version {version}");
        var community = message.ReadOctetString("community").ToArray();
        var pdu = PduCodec.Read(ref message);
        message.EnsureEnd("the message");
        if (version == 0 && pdu.Type is PduType.GetBulkRequest or PduType.InformRequest or PduType.TrapV2 or PduType.Report)
            throw new SnmpDecodeException($"{pdu.Type} is not an SNMPv1 PDU");
        return new CommunityMessage((SnmpVersion)version, community, pdu);
    }

    /// <summary>The msgVersion of any SNMP message, read without decoding the rest.</summary>
    public static SnmpVersion PeekVersion(ReadOnlySpan<byte> data)
    {
        var outer = new BerReader(data);
        var message = outer.ReadSequence("Message");
        return message.ReadInteger("msgVersion") switch
        {
            0 => SnmpVersion.V1,
            1 => SnmpVersion.V2c,
            3 => SnmpVersion.V3,
            var other => throw new SnmpDecodeException($"Unknown SNMP version {other}"),
        };
    }
}
