using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotMac.Networking.Snmp;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>A device slower than its interval is never polled twice at once.</summary>
public class SchedulerTests
{
    [Test]
    public async Task A_poll_that_outlasts_the_interval_is_not_overlapped_by_the_next()
    {
        // A silent "device": it receives GETs and never answers, so each poll lasts the whole 2.5 s device timeout
        // while the device's interval is 1 s.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var host = await NetworkingHost.StartAsync("networking_scheduler", new Dictionary<string, string?>
        {
            ["Networking:Polling:DeviceTimeout"] = "00:00:02.500",
            ["Networking:Polling:Retries"] = "0",
        });
        var requests = new ConcurrentQueue<(int Id, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(7));
        var listen = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    var received = await silent.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    requests.Enqueue((CommunityMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes)).Pdu.RequestId, clock.Elapsed));
                }
            }
            catch (OperationCanceledException)
            {
                // the observation window is over
            }
        });

        await host.RegisterAsync(Guid.NewGuid(), "slow", "127.0.0.1", ((IPEndPoint)silent.LocalEndPoint!).Port, pollIntervalSeconds: 1);
        await listen;

        var polls = requests.ToArray();
        Assert.That(polls, Has.Length.InRange(2, 3), "about 7 s / 2.5 s polls, not one per second");
        for (var i = 1; i < polls.Length; i++)
            Assert.That(polls[i].At - polls[i - 1].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2.4)), "the next poll starts only after the previous one gave up");
    }
}
