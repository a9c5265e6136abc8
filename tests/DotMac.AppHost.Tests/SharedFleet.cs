using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// The whole fleet, started once for the assembly by the AppHost the way `dotnet run --project DotMac.AppHost` starts it
/// (on shifted ports, so a developer's own fleet can keep running). The fixtures that use it only from outside share
/// it: the partner surface and the demo data first, then When_the_fleet_runs, whose last test stops it with SIGTERM.
/// </summary>
public static class SharedFleet
{
    public const int Offset = 1100; // gateway on 6100: Chromium refuses 6000 (an X11 port) outright
    public static readonly Uri Gateway = new($"http://localhost:{5000 + Offset}");
    public static readonly Uri Dashboard = new($"http://localhost:{18888 + Offset}");
    public static readonly string[] Services = ["analytics", "billing", "devtools", "events", "identity", "networking", "ops", "platform", "services"];

    static readonly SemaphoreSlim Gate = new(1, 1);
    static FleetProcess? _fleet;

    public sealed record Resource(string Name, string Kind, string State, string? Detail, string? Url, int? Pid, int Restarts);

    /// <summary>The running fleet, started (and waited for: the gateway's /health 200) by the first fixture that asks.</summary>
    public static async Task<FleetProcess> StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_fleet is { HasExited: false })
                return _fleet;
            _fleet?.Dispose();
            // Holding the shared servers first means the AppHost reuses them, as it would a developer's running ones.
            await TestInfrastructure.PostgresAsync();
            await TestInfrastructure.RabbitMqAsync();
            var clock = Stopwatch.StartNew();
            // The fixtures log in a few dozen times a minute from one address (the seed's staff and customers among
            // them); the gateway's default of ten a minute per IP would only make them wait. The services inherit it.
            Environment.SetEnvironmentVariable("Gateway__RateLimits__LoginPerMinute", "100");
            try
            {
                _fleet = FleetProcess.Start(Offset);
            }
            finally
            {
                Environment.SetEnvironmentVariable("Gateway__RateLimits__LoginPerMinute", null);
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var health = await http.GetAsync(new Uri(Gateway, "/health"));
                    return health.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(150), () => $"the gateway's /health to answer 200\n{_fleet.Tail()}");
            TestContext.Progress.WriteLine($"fleet healthy after {clock.Elapsed.TotalSeconds:0.0} s");
            return _fleet;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static void Stop()
    {
        _fleet?.Dispose();
        _fleet = null;
    }

    public static async Task<IReadOnlyList<Resource>> ResourcesAsync(HttpClient http) =>
        await http.GetFromJsonAsync<List<Resource>>(new Uri(Dashboard, "/api/resources"), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];

    /// <summary>A service's own address (not the gateway's), as the dashboard lists it.</summary>
    public static async Task<Uri> AddressOfAsync(HttpClient http, string service) =>
        new((await ResourcesAsync(http)).Single(r => r.Name == service).Url!);

    /// <summary>The super admin's token, from the password file identity wrote at first start (as the README tells a newcomer).</summary>
    public static async Task<string> SuperAdminTokenAsync(HttpClient http)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(StateDirectory.Resolve(), "identity", "super-admin.txt"));
        using var login = await http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/login"), new { email = lines[0], password = lines[1] });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}

public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
                return;
            if (deadline.Elapsed > timeout)
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what()}");
            await Task.Delay(100);
        }
    }
}
