using System.Net;
using System.Net.Sockets;

namespace DotMac.Devtools.Seed;

/// <summary>
/// Whether an SNMP agent answers at an address: one SNMPv2c GET of sysDescr.0, any SNMP answer within the timeout
/// counts. The seeder registers its devices against a local snmpd only when one is there, so networking polls
/// something real instead of marking every demo device down.
/// </summary>
public static class SnmpProbe
{
    public static readonly IPEndPoint Local = new(IPAddress.Loopback, 16161);

    public static async Task<bool> AnswersAsync(IPEndPoint agent, string community, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(agent.AddressFamily);
        udp.Connect(agent);
        await udp.SendAsync(GetSysDescr(community), cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            var answer = await udp.ReceiveAsync(wait.Token);
            return answer.Buffer is [0x30, ..]; // a BER SEQUENCE: an SNMP message
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false; // ICMP port unreachable: nothing listens there
        }
    }

    /// <summary>The BER of GetRequest(sysDescr.0) in an SNMPv2c message (short-form lengths: community under 100 bytes).</summary>
    static byte[] GetSysDescr(string community)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(community);
        byte[] varbinds = [0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00];
        byte[] pdu = [0xa0, (byte)(9 + varbinds.Length), 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, .. varbinds];
        byte[] body = [0x02, 0x01, 0x01, 0x04, (byte)name.Length, .. name, .. pdu];
        return [0x30, (byte)body.Length, .. body];
    }
}
