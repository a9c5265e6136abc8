using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DotMac.Networking.Snmp;

namespace DotMac.Bench;

/// <summary>
/// An SNMP agent simulator for the polling benchmark, run as its own process (bench/run snmp starts it) so its CPU is
/// not counted as the poller's: many virtual devices, each on its own loopback UDP port, each with many interfaces
/// whose 64-bit octet counters grow at a steady per-interface rate. Answers v2c GETs for sysUpTime.0,
/// ifHCInOctets.i, ifHCOutOctets.i and ifOperStatus.i; anything else is noSuchObject.
/// </summary>
public static class SnmpSimulator
{
    /// <summary>Binds the devices, prints "ports p1,p2,..." and serves until stdin closes.</summary>
    public static async Task RunAsync(int devices, int interfaces)
    {
        var sockets = Enumerable.Range(0, devices).Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }).ToArray();
        Console.WriteLine("ports " + string.Join(',', sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture))));
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var servers = sockets.Select((s, device) => Task.Run(() => ServeAsync(s, device, interfaces, started, stop.Token))).ToArray();
        await Console.In.ReadToEndAsync(CancellationToken.None); // the benchmark closes our stdin when it is done
        await stop.CancelAsync();
        foreach (var socket in sockets)
            socket.Dispose();
        await Task.WhenAll(servers).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    static async Task ServeAsync(Socket socket, int device, int interfaces, long started, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            CommunityMessage request;
            try
            {
                request = CommunityMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (SnmpDecodeException)
            {
                continue;
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var answers = request.Pdu.VarBinds.Select(vb => new VarBind(vb.Oid, Value(vb.Oid, device, interfaces, seconds))).ToArray();
            var response = new CommunityMessage(request.Version, request.Community, request.Pdu with { Type = PduType.Response, VarBinds = answers });
            await socket.SendToAsync(response.Encode(), SocketFlags.None, received.RemoteEndPoint, cancellationToken);
        }
    }

    static SnmpValue Value(Oid oid, int device, int interfaces, double seconds)
    {
        if (oid.Equals(Mib.SysUpTime))
            return SnmpValue.TimeTicks((uint)(seconds * 100));
        if (oid.Length != Mib.IfHCInOctets.Length + 1 || oid[^1] is 0 || oid[^1] > interfaces)
            return SnmpValue.NoSuchObject;
        var index = oid[^1];
        var rate = 1_000_000UL * (1 + (ulong)((device * 31 + index) % 1000)); // 8 Mbit/s .. 8 Gbit/s
        if (oid.StartsWith(Mib.IfHCInOctets))
            return SnmpValue.Counter64((ulong)(rate * seconds));
        if (oid.StartsWith(Mib.IfHCOutOctets))
            return SnmpValue.Counter64((ulong)(rate / 2 * seconds));
        return oid.StartsWith(Mib.IfOperStatus) ? SnmpValue.Integer32(1) : SnmpValue.NoSuchObject;
    }
}
