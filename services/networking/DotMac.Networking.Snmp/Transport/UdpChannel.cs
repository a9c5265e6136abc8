using System.Net;
using System.Net.Sockets;

namespace DotMac.Networking.Snmp.Transport;

/// <summary>
/// One UDP socket and its receive loop; every datagram goes to <c>onDatagram</c> with its sender. The loop is a
/// thread of its own blocked in recvfrom, and sends are plain sendto calls (UDP does not wait for the peer): the
/// socket stays in blocking mode, so an answer wakes the loop straight from the kernel, not through the socket
/// engine's epoll thread and a thread-pool hop. A walk is one round trip after another, and that hop was a
/// measurable part of each.
/// </summary>
internal sealed class UdpChannel : IDisposable
{
    readonly Socket _socket;
    readonly Action<ReadOnlyMemory<byte>, IPEndPoint> _onDatagram;
    readonly Thread _loop;
    int _disposed;

    public UdpChannel(IPEndPoint bind, Action<ReadOnlyMemory<byte>, IPEndPoint> onDatagram)
    {
        _onDatagram = onDatagram;
        _socket = Open(bind);
        _loop = new Thread(ReceiveLoop) { IsBackground = true, Name = "snmp-udp-receive" };
        _loop.Start();
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
            socket.ReceiveTimeout = 500; // the loop sees a Dispose at least this often
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

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_socket.SendTo(datagram.Span, SocketFlags.None, Destination(to)));
    }

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

    void ReceiveLoop()
    {
        var buffer = new byte[65536];
        var any = (EndPoint)(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0));
        while (Volatile.Read(ref _disposed) == 0)
        {
            var from = any;
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // the timeout tick, or an ICMP error for an earlier send: nothing to do with the next datagram
            }
            try
            {
                _onDatagram(buffer.AsMemory(0, received), Normalise((IPEndPoint)from));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A datagram its handler cannot take is dropped; it must not end the loop (nor, on this thread, the process).
            }
        }
    }

    public static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _socket.Dispose();
        if (Thread.CurrentThread != _loop)
            _loop.Join(TimeSpan.FromSeconds(2));
    }
}
