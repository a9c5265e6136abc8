using System.Net;
using System.Net.Sockets;

namespace DotMac.Networking.Snmp.Transport;

/// <summary>One UDP socket and its receive loop; every datagram goes to <c>onDatagram</c> with its sender.</summary>
internal sealed class UdpChannel : IDisposable
{
    readonly Socket _socket;
    readonly CancellationTokenSource _stop = new();
    readonly Action<ReadOnlyMemory<byte>, IPEndPoint> _onDatagram;
    readonly Task _loop;
    int _disposed;

    public UdpChannel(IPEndPoint bind, Action<ReadOnlyMemory<byte>, IPEndPoint> onDatagram)
    {
        _onDatagram = onDatagram;
        _socket = Open(bind);
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>A dual-stack socket where the OS has IPv6, else IPv4 (some containers disable IPv6).</summary>
    public static IPEndPoint AnyEndPoint(int port = 0) =>
        Socket.OSSupportsIPv6 ? new IPEndPoint(IPAddress.IPv6Any, port) : new IPEndPoint(IPAddress.Any, port);

    static Socket Open(IPEndPoint bind)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bind.AddressFamily == AddressFamily.InterNetworkV6 && bind.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.ReceiveBufferSize = 4 * 1024 * 1024; // bursts of responses while the loop catches up
            socket.Bind(bind);
            return socket;
        }
        catch (SocketException) when (bind.AddressFamily == AddressFamily.InterNetworkV6 && bind.Address.Equals(IPAddress.IPv6Any))
        {
            socket.Dispose();
            return Open(new IPEndPoint(IPAddress.Any, bind.Port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint to, CancellationToken cancellationToken) =>
        _socket.SendToAsync(datagram, SocketFlags.None, Destination(to), cancellationToken);

    /// <summary>A UDP send does not wait for the peer; the receive loop answers informs and reports with this.</summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, Destination(to));
        }
        catch (SocketException)
        {
            // the sender is gone; it will retransmit or give up
        }
    }

    IPEndPoint Destination(IPEndPoint to) =>
        _socket.AddressFamily == AddressFamily.InterNetworkV6 && to.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(to.Address.MapToIPv6(), to.Port)
            : to;

    async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateArray<byte>(65536, pinned: true);
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier send; nothing to do with the next datagram
            }
            _onDatagram(buffer.AsMemory(0, result.ReceivedBytes), Normalise((IPEndPoint)result.RemoteEndPoint));
        }
    }

    public static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // the loop ends with the socket; how it ended does not matter any more
        }
        _stop.Dispose();
    }
}
