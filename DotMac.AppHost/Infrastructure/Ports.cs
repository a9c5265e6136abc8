using System.Net;
using System.Net.Sockets;

namespace DotMac.AppHost.Infrastructure;

public static class Ports
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The preferred port if nobody listens there, else the next free one above it.</summary>
    public static int FirstFree(int preferred, int span = 50)
    {
        for (var port = preferred; port < preferred + span; port++)
        {
            if (IsFree(port))
                return port;
        }
        throw new InfrastructureException($"No free port in {preferred}-{preferred + span - 1} on 127.0.0.1.");
    }

    public static async Task<bool> AcceptsAsync(int port, TimeSpan timeout)
    {
        using var client = new TcpClient();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, limit.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
