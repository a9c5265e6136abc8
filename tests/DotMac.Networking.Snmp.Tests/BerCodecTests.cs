using System.Net;
using DotMac.Networking.Snmp.Ber;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

public class BerCodecTests
{
    static readonly Oid SysDescr = Oid.Parse(".1.3.6.1.2.1.1.1.0");

    static IEnumerable<TestCaseData> EveryType()
    {
        yield return new TestCaseData(SnmpValue.Integer32(0), "020100").SetName("Integer32 zero");
        yield return new TestCaseData(SnmpValue.Integer32(127), "02017F").SetName("Integer32 127");
        yield return new TestCaseData(SnmpValue.Integer32(128), "02020080").SetName("Integer32 128 needs a leading zero");
        yield return new TestCaseData(SnmpValue.Integer32(-1), "0201FF").SetName("Integer32 minus one");
        yield return new TestCaseData(SnmpValue.Integer32(-129), "0202FF7F").SetName("Integer32 minus 129");
        yield return new TestCaseData(SnmpValue.Integer32(int.MaxValue), "02047FFFFFFF").SetName("Integer32 max");
        yield return new TestCaseData(SnmpValue.Integer32(int.MinValue), "020480000000").SetName("Integer32 min");
        yield return new TestCaseData(SnmpValue.OctetString("lo"), "04026C6F").SetName("OCTET STRING");
        yield return new TestCaseData(SnmpValue.OctetString(""), "0400").SetName("empty OCTET STRING");
        yield return new TestCaseData(SnmpValue.Null, "0500").SetName("NULL");
        yield return new TestCaseData(SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10")), "060A2B06010401BF0803020A").SetName("OBJECT IDENTIFIER");
        yield return new TestCaseData(SnmpValue.ObjectIdentifier(Oid.Parse("2.999.4294967295")), "060788378FFFFFFF7F").SetName("OBJECT IDENTIFIER with a 2.x arc and a 32-bit sub-identifier");
        yield return new TestCaseData(SnmpValue.IpAddress(IPAddress.Parse("192.0.2.1")), "4004C0000201").SetName("IpAddress");
        yield return new TestCaseData(SnmpValue.Counter32(uint.MaxValue), "410500FFFFFFFF").SetName("Counter32 max");
        yield return new TestCaseData(SnmpValue.Gauge32(10_000_000), "420400989680").SetName("Gauge32");
        yield return new TestCaseData(SnmpValue.TimeTicks(105), "430169").SetName("TimeTicks");
        yield return new TestCaseData(SnmpValue.Opaque([0x9f, 0x78, 0x04, 0x3f, 0x80, 0, 0]), "44079F78043F800000").SetName("Opaque");
        yield return new TestCaseData(SnmpValue.Counter64(ulong.MaxValue), "460900FFFFFFFFFFFFFFFF").SetName("Counter64 max");
        yield return new TestCaseData(SnmpValue.Counter64(211_420_593), "46040C9A05B1").SetName("Counter64");
        yield return new TestCaseData(SnmpValue.NoSuchObject, "8000").SetName("noSuchObject");
        yield return new TestCaseData(SnmpValue.NoSuchInstance, "8100").SetName("noSuchInstance");
        yield return new TestCaseData(SnmpValue.EndOfMibView, "8200").SetName("endOfMibView");
    }

    [TestCaseSource(nameof(EveryType))]
    public void Every_type_encodes_to_its_known_octets_and_decodes_back(SnmpValue value, string hex)
    {
        var writer = new BerWriter();
        writer.WriteValue(value);
        Assert.That(Convert.ToHexString(writer.Written), Is.EqualTo(hex));

        var reader = new BerReader(Convert.FromHexString(hex));
        Assert.That(reader.ReadValue(), Is.EqualTo(value));
    }

    [Test]
    public void A_get_request_encodes_exactly_as_net_snmp_sends_it()
    {
        // RFC 3416's layout, worked out by hand: the 12-octet VarBind in a 14-octet list in a 26-octet PDU.
        var message = new CommunityMessage(SnmpVersion.V2c, "public", new SnmpPdu(PduType.GetRequest, 0x1234, 0, 0, [VarBind.Request(SysDescr)]));
        Assert.That(Convert.ToHexString(message.Encode()),
            Is.EqualTo("302702010104067075626C6963A01A02021234020100020100300E300C06082B060102010101000500"));
    }

    [Test]
    public void A_response_round_trips_with_every_type_in_one_message()
    {
        var varBinds = EveryType().Select((c, i) => new VarBind(SysDescr.Append((uint)i), (SnmpValue)c.Arguments[0]!)).ToArray();
        var message = new CommunityMessage(SnmpVersion.V2c, "public", new SnmpPdu(PduType.Response, -5, 0, 0, varBinds));

        var decoded = CommunityMessage.Decode(message.Encode());

        Assert.That(decoded.Pdu.RequestId, Is.EqualTo(-5));
        Assert.That(decoded.Pdu.VarBinds, Is.EqualTo(varBinds));
        Assert.That(decoded.CommunityText, Is.EqualTo("public"));
    }

    [Test]
    public void Long_lengths_use_the_long_form_in_both_directions()
    {
        var big = new byte[70_000];
        Random.Shared.NextBytes(big);
        var message = new CommunityMessage(SnmpVersion.V2c, "public",
            new SnmpPdu(PduType.Response, 7, 0, 0, [new VarBind(SysDescr, SnmpValue.OctetString(big)), new VarBind(SysDescr, SnmpValue.OctetString(new byte[200]))]));

        var encoded = message.Encode();
        var decoded = CommunityMessage.Decode(encoded);

        Assert.That(encoded[1], Is.EqualTo(0x83), "a 3-octet length for the outer sequence");
        Assert.That(decoded.Pdu.VarBinds[0].Value.Bytes.ToArray(), Is.EqualTo(big));
        Assert.That(decoded.Pdu.VarBinds[1].Value.Bytes.Length, Is.EqualTo(200));
    }

    [Test]
    public void A_v1_trap_round_trips()
    {
        var trap = new SnmpPdu(PduType.TrapV1, 0, 0, 0, [new VarBind(Oid.Parse("1.3.6.1.2.1.2.2.1.1.2"), SnmpValue.Integer32(2))])
        {
            Enterprise = Oid.Parse("1.3.6.1.4.1.8072.3.2.10"),
            AgentAddress = IPAddress.Parse("10.0.0.1"),
            GenericTrap = 2,
            SpecificTrap = 0,
            TimeStamp = 12345,
        };
        var decoded = CommunityMessage.Decode(new CommunityMessage(SnmpVersion.V1, "public", trap).Encode()).Pdu;

        Assert.That(decoded.Enterprise, Is.EqualTo(trap.Enterprise));
        Assert.That(decoded.AgentAddress, Is.EqualTo(trap.AgentAddress));
        Assert.That((decoded.GenericTrap, decoded.TimeStamp), Is.EqualTo((2, 12345u)));
        Assert.That(decoded.VarBinds, Is.EqualTo(trap.VarBinds));
    }

    [Test]
    public void Oids_order_as_the_mib_does()
    {
        var oids = new[] { "1.3.6.1.2.1.2.2.1.10.1", "1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.2.2.1.2.10" }.Select(Oid.Parse).Order().Select(o => o.ToString());
        Assert.That(oids, Is.EqualTo(new[] { ".1.3.6.1.2.1.2.2.1", ".1.3.6.1.2.1.2.2.1.2.1", ".1.3.6.1.2.1.2.2.1.2.10", ".1.3.6.1.2.1.2.2.1.10.1" }));
        Assert.That(Oid.Parse("1.3.6.1.2.1.2.2.1.2.1").StartsWith(Oid.Parse(".1.3.6.1.2.1.2.2")), Is.True);
        Assert.That(Oid.Parse("1.3.6.1.2.1.2.20").StartsWith(Oid.Parse("1.3.6.1.2.1.2.2")), Is.False);
    }

    [TestCase("3003020101", TestName = "A truncated message")]
    [TestCase("3080020101", TestName = "An indefinite length")]
    [TestCase("3085FFFFFFFFFF", TestName = "A length of five octets")]
    [TestCase("300602010104007F", TestName = "A message without a PDU")]
    [TestCase("300C020101040070A003020100", TestName = "Bad PDU content")]
    [TestCase("30030201050000", TestName = "Trailing bytes")]
    public void Malformed_input_is_a_decode_error(string hex)
    {
        Assert.Throws<SnmpDecodeException>(() => CommunityMessage.Decode(Convert.FromHexString(hex)));
    }

    [Test]
    public void An_oid_whose_last_sub_identifier_is_cut_off_is_a_decode_error()
    {
        Assert.Throws<SnmpDecodeException>(() => BerReader.DecodeOid([0x2b, 0x06, 0x81], "oid"));
        Assert.Throws<SnmpDecodeException>(() => BerReader.DecodeOid([0x2b, 0x90, 0x80, 0x80, 0x80, 0x00], "oid"), "a sub-identifier over 32 bits");
    }
}
