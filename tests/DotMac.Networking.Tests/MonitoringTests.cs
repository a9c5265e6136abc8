using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DotMac.Contracts.Networking;
using DotMac.Networking.Features;
using DotMac.Networking.Snmp.Tests.Agent;
using DotMac.Networking.Traps;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>Polling a real snmpd: reachability events, bits/s in the bandwidth API, top-N, traps as events.</summary>
public class MonitoringTests
{
    NetSnmpAgent _agent = null!;
    NetworkingHost _host = null!;
    readonly Guid _tenant = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task Start()
    {
        _agent = await NetSnmpAgent.StartAsync();
        _host = await NetworkingHost.StartAsync("networking_monitoring", new Dictionary<string, string?>
        {
            ["Networking:Traps:Address"] = "127.0.0.1",
            ["Networking:Traps:Port"] = "-1",
            ["Networking:Traps:Communities:0"] = "public",
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _agent.Dispose();
        }
    }

    [Test]
    public async Task Stopping_snmpd_yields_device_down_within_two_poll_intervals_and_starting_it_yields_device_up()
    {
        var device = await _host.RegisterAsync(_tenant, "reachability", "127.0.0.1", _agent.EndPoint.Port, pollIntervalSeconds: 1);
        await EventRecorder.WaitForAsync<DeviceUp>(e => e.DeviceId == device.Id, TimeSpan.FromSeconds(10));

        var stoppedAt = DateTimeOffset.UtcNow;
        await _agent.StopAsync();
        var down = await EventRecorder.WaitForAsync<DeviceDown>(e => e.DeviceId == device.Id, TimeSpan.FromSeconds(10));
        var startedAt = DateTimeOffset.UtcNow;
        await _agent.StartAgainAsync();
        var up = await EventRecorder.WaitForAsync<DeviceUp>(e => e.DeviceId == device.Id && e.OccurredAt > startedAt, TimeSpan.FromSeconds(10));

        Assert.That(down.OccurredAt - stoppedAt, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(2)), "two poll intervals of 1 s");
        Assert.That((down.TenantId, down.ManagementAddress, down.DeviceName), Is.EqualTo((_tenant, "127.0.0.1", "reachability")));
        Assert.That(down.Reason, Does.Contain("No response"));
        Assert.That(up.OccurredAt - startedAt, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(3)));
        using var response = await _host.SendAsync(HttpMethod.Get, $"/api/v1/devices/{device.Id}", _tenant);
        Assert.That((await response.Content.ReadFromJsonAsync<DeviceResponse>())!.Status, Is.EqualTo("up"));
    }

    [Test]
    public async Task The_bandwidth_api_returns_a_bits_per_second_series_for_a_polled_interface_and_top_n_ranks_it()
    {
        var device = await _host.RegisterAsync(_tenant, "bandwidth", "127.0.0.1", _agent.EndPoint.Port, pollIntervalSeconds: 1);
        using (var discovered = await _host.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.Id}/interfaces/discover", _tenant))
            Assert.That(discovered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        BandwidthSeriesResponse? series = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(1000);
            // lo (ifIndex 1) carries the polls themselves, so it always has traffic.
            using var response = await _host.SendAsync(HttpMethod.Get,
                $"/api/v1/devices/{device.Id}/interfaces/1/bandwidth?bucket=10s&from={Uri.EscapeDataString(from.ToString("O"))}", _tenant);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            series = await response.Content.ReadFromJsonAsync<BandwidthSeriesResponse>();
            if (series!.Points.Sum(p => p.Samples) >= 3 && series.Points.Max(p => p.MaxInBps) > 0)
                break;
        }

        Assert.That(series!.Points.Sum(p => p.Samples), Is.GreaterThanOrEqualTo(3), "a sample per second after the first reading");
        // snmpd caches interface counters for a few seconds, so some one-second intervals see no change (0 bits/s).
        Assert.That(series.Points, Has.All.Matches<BandwidthPoint>(p => p.InBps >= 0 && p.InBps < 1e10 && p.Bucket.Second % 10 == 0 && p.Bucket >= from.AddSeconds(-10)));
        Assert.That(series.Points.Max(p => p.MaxInBps), Is.GreaterThan(0), "lo carries the polls themselves");
        using var top = await _host.SendAsync(HttpMethod.Get, "/api/v1/interfaces/top?limit=5", _tenant);
        var ranked = await top.Content.ReadFromJsonAsync<List<TopInterface>>();
        Assert.That(ranked!.Select(t => t.InterfaceId), Does.Contain(series.InterfaceId));
        Assert.That(ranked, Is.Ordered.Descending.By(nameof(TopInterface.TotalBps)));
        using var otherTenant = await _host.SendAsync(HttpMethod.Get, "/api/v1/interfaces/top", Guid.NewGuid());
        Assert.That(await otherTenant.Content.ReadFromJsonAsync<List<TopInterface>>(), Is.Empty);
    }

    [Test]
    public async Task A_link_down_trap_from_snmptrap_arrives_as_trap_received_with_its_interface()
    {
        var device = await _host.RegisterAsync(_tenant, "trapper", "127.0.0.1", _agent.EndPoint.Port);
        using var discovered = await _host.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.Id}/interfaces/discover", _tenant);
        var lo = (await discovered.Content.ReadFromJsonAsync<List<InterfaceResponse>>())!.Single(i => i.IfIndex == 1);
        var port = _host.Get<TrapReceiverService>().LocalEndPoint!.Port;

        var sent = await _agent.ToolAsync("snmptrap", "-v2c", "-c", "public", $"127.0.0.1:{port}", "", ".1.3.6.1.6.3.1.1.5.3", ".1.3.6.1.2.1.2.2.1.1.1", "i", "1");
        var trap = await EventRecorder.WaitForAsync<TrapReceived>(e => e.DeviceId == device.Id, TimeSpan.FromSeconds(10));

        Assert.That(sent.Succeeded, sent.Describe());
        Assert.That((trap.TenantId, trap.TrapOid, trap.InterfaceIndex, trap.InterfaceId), Is.EqualTo((_tenant, ".1.3.6.1.6.3.1.1.5.3", (int?)1, (Guid?)lo.Id)));
        Assert.That(trap.Variables, Does.Contain(".1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1"));
    }
}
