using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// The whole fleet as the AppHost runs it (<see cref="SharedFleet"/>), used only from outside: the gateway, the dashboard,
/// signals. It runs after the other fixtures that share the fleet: it kills services, and its last test stops the fleet.
/// </summary>
[TestFixture, NonParallelizable, Order(100)]
public sealed class When_the_fleet_runs
{
    static readonly Uri Gateway = SharedFleet.Gateway;
    static readonly Uri Dashboard = SharedFleet.Dashboard;
    static readonly string[] Services = SharedFleet.Services;

    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    FleetProcess _fleet = null!;

    [OneTimeSetUp]
    public async Task StartFleet() => _fleet = await SharedFleet.StartAsync();

    [OneTimeTearDown]
    public void StopFleet() => _http.Dispose();

    [Test, Order(1)]
    public async Task Should_report_all_ten_healthy_through_the_gateway()
    {
        using var health = JsonDocument.Parse(await _http.GetStringAsync(new Uri(Gateway, "/health")));
        var checks = health.RootElement.GetProperty("checks");

        Assert.That(health.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(checks.GetProperty("self").GetProperty("status").GetString(), Is.EqualTo("Healthy"), "the gateway itself");
        foreach (var service in Services)
            Assert.That(checks.GetProperty(service).GetProperty("status").GetString(), Is.EqualTo("Healthy"), service);
    }

    /// <summary>As a new operator would: the password identity generated at first start, then a login through the gateway.</summary>
    Task<string> SuperAdminTokenAsync() => SharedFleet.SuperAdminTokenAsync(_http);

    [Test, Order(2)]
    public async Task Should_route_each_services_versioned_api_through_the_gateway()
    {
        using (var anonymous = await _http.GetAsync(new Uri(Gateway, "/api/v1/platform/info")))
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the gateway wants a token");
        var token = await SuperAdminTokenAsync();
        foreach (var service in Services)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, $"/api/v1/{service}/info"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request);
            var info = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), service);
            Assert.That(info.GetProperty("service").GetString(), Is.EqualTo(service));
            Assert.That(info.GetProperty("schema").GetProperty("status").GetString(), Is.EqualTo("Applied"), $"{service} migrated its database");
            Assert.That(response.Headers.GetValues("X-Request-Id").Count(), Is.EqualTo(1), "one request id end to end");
        }
        using var unknown = await _http.GetAsync(new Uri(Gateway, "/api/v1/no-such-service/info"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test, Order(3)]
    public async Task Should_show_every_resource_on_the_dashboard()
    {
        var page = await _http.GetStringAsync(Dashboard);
        var resources = await ResourcesAsync();

        Assert.That(page, Does.Contain("DotMac fleet"));
        Assert.That(resources.Select(r => r.Name), Is.SupersetOf(Services.Append("gateway").Append("postgres").Append("messaging")));
        Assert.That(resources.Where(r => r.State != "Healthy").Select(r => $"{r.Name}: {r.State} {r.Detail}"), Is.Empty);
        var logs = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, "/api/resources/platform/logs?count=50"));
        Assert.That(logs.GetArrayLength(), Is.GreaterThan(0), "recent log lines of a service");
    }

    [Test, Order(4)]
    public async Task Should_restart_a_service_killed_with_sigkill()
    {
        var before = (await ResourcesAsync()).Single(r => r.Name == "billing");

        Unix.Signal(before.Pid!.Value, Unix.SigKill);

        await EventuallyAsync(async () => (await ResourcesAsync()).Single(r => r.Name == "billing") is { State: "Healthy", Restarts: > 0 } after
            && after.Pid != before.Pid, TimeSpan.FromSeconds(60), "billing to be restarted and healthy");
        await EventuallyAsync(async () => (await GetAsync(new Uri(Gateway, "/health"))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the gateway to see billing healthy again");
    }

    [Test, Order(5)]
    public async Task Should_restart_a_service_from_the_dashboard()
    {
        var before = (await ResourcesAsync()).Single(r => r.Name == "ops");

        using var response = await _http.PostAsync(new Uri(Dashboard, "/api/resources/ops/restart"), null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await EventuallyAsync(async () => (await ResourcesAsync()).Single(r => r.Name == "ops") is { State: "Healthy" } after
            && after.Restarts == before.Restarts + 1 && after.Pid != before.Pid, TimeSpan.FromSeconds(60), "ops to come back");
        using var infrastructure = await _http.PostAsync(new Uri(Dashboard, "/api/resources/postgres/restart"), null);
        Assert.That(infrastructure.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "infrastructure is not restarted from the dashboard");
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri(Dashboard, "/api/resources/ops/restart"));
        forged.Headers.Add("Origin", "http://evil.example");
        using var refused = await _http.SendAsync(forged);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a page of another origin cannot restart anything");
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(Dashboard, "/api/resources"));
        rebound.Headers.Host = $"evil.example:{Dashboard.Port}";
        using var rebinding = await _http.SendAsync(rebound);
        Assert.That(rebinding.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a name rebound to 127.0.0.1 reads nothing");
    }

    [Test, Order(6)]
    public async Task Should_run_exactly_one_copy_when_a_crash_and_a_manual_restart_meet()
    {
        var before = (await ResourcesAsync()).Single(r => r.Name == "events");

        Unix.Signal(before.Pid!.Value, Unix.SigKill);
        using var response = await _http.PostAsync(new Uri(Dashboard, "/api/resources/events/restart"), null);

        await EventuallyAsync(async () => (await ResourcesAsync()).Single(r => r.Name == "events") is { State: "Healthy" } after
            && after.Pid != before.Pid, TimeSpan.FromSeconds(60), "events to come back");
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the crash's backoff timer, which must not start a second copy
        var copies = ChildrenRunning("DotMac.Events.dll");
        var now = (await ResourcesAsync()).Single(r => r.Name == "events");
        Assert.That(copies, Is.EqualTo(new[] { now.Pid!.Value }), "one process, the one the dashboard shows");
        Assert.That(now.State, Is.EqualTo("Healthy"));
    }

    [Test, Order(7)]
    public async Task Should_stop_everything_within_15_seconds_of_sigterm()
    {
        var pids = (await ResourcesAsync()).Where(r => r.Kind == "project").Select(r => r.Pid!.Value).ToList();
        Assert.That(pids, Has.Count.EqualTo(10));
        var clock = Stopwatch.StartNew();

        Unix.Signal(_fleet.Pid, Unix.SigTerm);

        Assert.That(_fleet.WaitForExit(TimeSpan.FromSeconds(15)), Is.True, $"exited within 15 s\n{_fleet.Tail()}");
        TestContext.Progress.WriteLine($"fleet stopped in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(_fleet.ExitCode, Is.EqualTo(0), _fleet.Tail());
        Assert.That(pids.Where(Unix.IsRunning), Is.Empty, "no service process left");
        Assert.That(_fleet.Output, Does.Contain("Stopped in"));
    }

    List<int> ChildrenRunning(string assembly) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Unix.IsRunning(pid) && Unix.CommandLine(pid)?.Contains(assembly, StringComparison.Ordinal) == true
                && ParentOf(pid) == _fleet.Pid)
            .ToList();

    static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    Task<IReadOnlyList<SharedFleet.Resource>> ResourcesAsync() => SharedFleet.ResourcesAsync(_http);

    async Task<HttpResponseMessage> GetAsync(Uri uri)
    {
        try
        {
            return await _http.GetAsync(uri);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

    async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_fleet.HasExited)
                Assert.Fail($"the AppHost exited ({_fleet.ExitCode}) while waiting for {what}\n{_fleet.Tail()}");
            try
            {
                if (await condition())
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}\n{_fleet.Tail()}");
            await Task.Delay(250);
        }
    }
}
