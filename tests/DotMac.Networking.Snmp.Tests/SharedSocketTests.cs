using System.Net;
using System.Net.Sockets;
using DotMac.Networking.Snmp.Ber;
using DotMac.Networking.Snmp.Tests.Agent;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

/// <summary>Many requests to many agents over one socket, and what happens when an answer is broken.</summary>
public class SharedSocketTests
{
    static readonly Oid IfDescr = Oid.Parse(".1.3.6.1.2.1.2.2.1.2");
    static readonly Oid SysObjectId = Oid.Parse(".1.3.6.1.2.1.1.2.0");

    [Test]
    public async Task Thousands_of_requests_to_several_agents_share_one_socket_and_each_gets_its_own_answer()
    {
        using var first = await NetSnmpAgent.StartAsync();
        using var second = await NetSnmpAgent.StartAsync();
        using var client = new SnmpClient(new SnmpClientOptions { SocketCount = 1, Timeout = TimeSpan.FromSeconds(1), Retries = 3 });
        SnmpTarget[] targets =
        [
            new CommunityTarget(first.EndPoint, NetSnmpAgent.ReadCommunity),
            new CommunityTarget(second.EndPoint, NetSnmpAgent.ReadCommunity),
            new UsmTarget(first.EndPoint, Users.Get("sha-aes")),
            new UsmTarget(second.EndPoint, Users.Get("sha256-aes256")),
        ];
        var expected = (await client.WalkToListAsync(targets[0], IfDescr)).ToDictionary(v => v.Oid, v => v.Value);
        var oids = expected.Keys.ToArray();
        using var inFlight = new SemaphoreSlim(64);

        var requests = Enumerable.Range(0, 2000).Select(async i =>
        {
            await inFlight.WaitAsync();
            try
            {
                var oid = oids[i % oids.Length];
                var answer = await client.GetAsync(targets[i % targets.Length], oid);
                return answer.Oid.Equals(oid) && answer.Value.Equals(expected[oid]);
            }
            finally
            {
                inFlight.Release();
            }
        });
        var results = await Task.WhenAll(requests);

        Assert.That(results, Has.Length.EqualTo(2000).And.All.True);
    }

    [Test]
    public async Task A_broken_answer_with_the_right_request_id_is_a_decode_error()
    {
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
        var target = new CommunityTarget((IPEndPoint)fake.LocalEndPoint!, "public");

        var request = client.GetAsync(target, SysObjectId);
        var buffer = new byte[1500];
        var received = await fake.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
        var id = CommunityMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes)).Pdu.RequestId;
        // A Response whose varbind holds an OBJECT IDENTIFIER cut off in the middle of a sub-identifier.
        var writer = new BerWriter();
        writer.BeginSequence(out var message);
        writer.WriteInteger(1);
        writer.WriteOctetString("public"u8);
        var pdu = writer.BeginConstructed((byte)PduType.Response);
        writer.WriteInteger(id);
        writer.WriteInteger(0);
        writer.WriteInteger(0);
        writer.BeginSequence(out var list);
        writer.BeginSequence(out var item);
        writer.WriteOid(SysObjectId);
        writer.WriteElement(0x06, [0x2b, 0x06, 0x81]);
        writer.End(item);
        writer.End(list);
        writer.End(pdu);
        writer.End(message);
        await fake.SendToAsync(writer.ToArray(), received.RemoteEndPoint);

        var error = Assert.ThrowsAsync<SnmpDecodeException>(() => request);
        Assert.That(error!.Message, Does.Contain("cut off"));
    }

    [Test]
    public async Task An_answer_from_another_address_is_ignored()
    {
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var target = new CommunityTarget((IPEndPoint)fake.LocalEndPoint!, "public");

        var request = client.GetAsync(target, SysObjectId);
        var buffer = new byte[1500];
        var received = await fake.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
        var asked = CommunityMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes)).Pdu;
        var forged = new CommunityMessage(SnmpVersion.V2c, "public",
            new SnmpPdu(PduType.Response, asked.RequestId, 0, 0, [new VarBind(SysObjectId, SnmpValue.ObjectIdentifier(IfDescr))]));
        await intruder.SendToAsync(forged.Encode(), received.RemoteEndPoint);

        Assert.ThrowsAsync<SnmpTimeoutException>(() => request);
    }
}
