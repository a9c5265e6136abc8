using System.Net;
using DotMac.Networking.Snmp.Usm;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

/// <summary>Random and mutated datagrams: decoding may only ever fail with <see cref="SnmpDecodeException"/>.</summary>
public class FuzzTests
{
    static readonly Oid IfDescr = Oid.Parse("1.3.6.1.2.1.2.2.1.2");

    static byte[][] Seeds()
    {
        var varBinds = new List<VarBind>
        {
            new(IfDescr.Append(1), SnmpValue.OctetString("eth0")),
            new(IfDescr.Append(2), SnmpValue.Counter64(1UL << 40)),
            new(IfDescr.Append(3), SnmpValue.IpAddress(IPAddress.Loopback)),
            new(IfDescr.Append(4), SnmpValue.ObjectIdentifier(IfDescr)),
            new(IfDescr.Append(5), SnmpValue.TimeTicks(99)),
            new(IfDescr.Append(6), SnmpValue.NoSuchInstance),
        };
        var v2 = new CommunityMessage(SnmpVersion.V2c, "public", new SnmpPdu(PduType.Response, 42, 0, 0, varBinds)).Encode();
        var trap = new CommunityMessage(SnmpVersion.V1, "public", new SnmpPdu(PduType.TrapV1, 0, 0, 0, varBinds)
        {
            Enterprise = IfDescr,
            AgentAddress = IPAddress.Loopback,
        }).Encode();
        var v3 = new UsmMessage
        {
            MessageId = 9,
            Flags = UsmMessage.AuthFlag | UsmMessage.ReportableFlag,
            EngineId = [0x80, 0, 0x1f, 0x88, 1, 2, 3, 4],
            EngineBoots = 3,
            EngineTime = 1000,
            UserName = "user"u8.ToArray(),
            AuthParameters = new byte[12],
            Data = UsmMessage.EncodeScopedPdu([1, 2], [], new SnmpPdu(PduType.GetBulkRequest, 9, 0, 10, varBinds)),
        }.Encode();
        return [v2, trap, v3];
    }

    [Test]
    public void Mutated_messages_fail_only_with_a_decode_error()
    {
        var random = new Random(20261122);
        var seeds = Seeds();
        var decoded = 0;
        for (var i = 0; i < 60_000; i++)
        {
            var data = (byte[])seeds[i % seeds.Length].Clone();
            var mutations = 1 + random.Next(4);
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        data[random.Next(data.Length)] = (byte)random.Next(256);
                        break;
                    case 1:
                        data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                    case 2:
                        data = data[..random.Next(data.Length)];
                        break;
                    default:
                        var at = random.Next(data.Length);
                        data = [.. data[..at], (byte)random.Next(256), .. data[at..]];
                        break;
                }
                if (data.Length == 0)
                    break;
            }
            decoded += DecodeEverywhere(data);
        }
        Assert.That(decoded, Is.GreaterThan(0), "some mutations still decode, so the fuzzer reaches deep");
    }

    [Test]
    public void Random_bytes_fail_only_with_a_decode_error()
    {
        var random = new Random(7);
        for (var i = 0; i < 30_000; i++)
        {
            var data = new byte[random.Next(0, 64)];
            random.NextBytes(data);
            if (data.Length > 0 && random.Next(2) == 0)
                data[0] = 0x30; // get past the first check more often
            DecodeEverywhere(data);
        }
    }

    static int DecodeEverywhere(byte[] data)
    {
        var ok = 0;
        ok += Attempt(() => CommunityMessage.Decode(data));
        ok += Attempt(() => UsmMessage.Decode(data));
        ok += Attempt(() => UsmMessage.DecodeScopedPdu(data));
        ok += Attempt(() => CommunityMessage.PeekVersion(data));
        Transport.MessageKey.TryRead(data, out _);
        return ok;
    }

    static int Attempt(Func<object> decode)
    {
        try
        {
            decode();
            return 1;
        }
        catch (SnmpDecodeException)
        {
            return 0;
        }
    }
}
