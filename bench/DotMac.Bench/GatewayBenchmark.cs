using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DotMac.AppHost.Infrastructure;
using DotMac.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DotMac.Bench;

/// <summary>
/// gateway: a JWT-authenticated GET (identity's /api/v1/keys, which validates the token itself too) driven by wrk
/// at 50 connections for 10 s each: straight to identity, through the DotMac gateway (JWT validation, tenant guard,
/// rate limiter, YARP), and through nginx proxying the same service. Goals: gateway >= 0.7x nginx's requests/s, and
/// under 2 ms of p99 added over direct. Identity and the gateway run in this process, nginx and wrk beside it, all on
/// the same cores: the figures are relative, not capacity.
/// </summary>
public static partial class GatewayBenchmark
{
    const int Connections = 50;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var logger = loggers.CreateLogger("bench");
        var state = StateDirectory.Resolve();
        await PackageInstaller.InstallAsync("wrk and nginx", ["wrk", "nginx"],
            () => File.Exists("/usr/bin/wrk") && File.Exists("/usr/sbin/nginx"), state, logger, CancellationToken.None);

        await using var postgres = await PostgresServer.AcquireAsync(state, logger, Environment.GetEnvironmentVariable("ConnectionStrings__postgres"));
        await using var rabbit = await RabbitMqServer.AcquireAsync(state, logger, Environment.GetEnvironmentVariable("ConnectionStrings__messaging"), name: "messaging");
        var database = $"bench_identity_{Guid.NewGuid():N}"[..30];
        await postgres.CreateDatabaseIfMissingAsync(database);
        var scratch = Directory.CreateTempSubdirectory("dotmac-bench-gateway-");
        try
        {
            var identity = await StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:identity-db"] = postgres.ConnectionStringFor(database),
                ["ConnectionStrings:messaging"] = rabbit.ConnectionString,
                ["OTEL_SERVICE_NAME"] = "identity",
                ["DotMac:Identity:BootstrapPasswordFile"] = Path.Combine(scratch.FullName, "super-admin.txt"),
                ["DotMac:Identity:KeyEncryptionKeyFile"] = Path.Combine(scratch.FullName, "kek"),
            }, b => Identity.Extensions.Extensions.AddApplicationServices(b), a => Identity.Extensions.Extensions.MapApplicationEndpoints(a));
            var gateway = await StartAsync(new Dictionary<string, string?>
            {
                ["OTEL_SERVICE_NAME"] = "gateway",
                ["services:identity:http:0"] = identity.Address.ToString(),
                // One super admin hammering: the plan buckets would (rightly) stop it, so they are opened wide here.
                ["Gateway:RateLimits:Default:PerSecond"] = "10000000",
                ["Gateway:RateLimits:Default:Burst"] = "10000000",
            }, b => Gateway.Extensions.Extensions.AddGateway(b), a => Gateway.Extensions.Extensions.MapGateway(a));
            // Bare YARP, for reference: the same proxy with none of the gateway's front door (no token validation,
            // tenant guard, rate limits, CORS, timeouts, telemetry middleware), in this process as the gateway is.
            var bare = await StartBareYarpAsync(identity.Address);
            var token = await SuperAdminTokenAsync(identity.Address, Path.Combine(scratch.FullName, "super-admin.txt"));
            var nginxPort = Ports.FirstFree(48100);
            using var nginx = StartNginx(scratch.FullName, nginxPort, identity.Address);

            var targets = new (string Name, Uri Url)[]
            {
                ("direct", new Uri(identity.Address, "/api/v1/keys")),
                ("gateway", new Uri(gateway.Address, "/api/v1/identity/keys")),
                ("nginx", new Uri($"http://127.0.0.1:{nginxPort}/api/v1/identity/keys")),
                ("bare_yarp", new Uri(bare.Address, "/api/v1/identity/keys")),
            };
            var results = new Dictionary<string, (double Rps, double P99Ms)>();
            // Every path warmed before any is measured: identity's code runs in all three, so warming each one just
            // before its own run favoured whichever ran last (tiered JIT still at work).
            foreach (var (_, url) in targets)
                await WrkAsync(url, token, TimeSpan.FromSeconds(6));
            foreach (var (name, url) in targets)
            {
                results[name] = await WrkAsync(url, token, Duration);
                Console.WriteLine($"{name,-8} {results[name].Rps,10:0} req/s   p99 {results[name].P99Ms,7:0.00} ms");
            }
            nginx.Kill(entireProcessTree: true);
            await bare.DisposeAsync();
            await gateway.DisposeAsync();
            await identity.DisposeAsync();

            var ratio = results["gateway"].Rps / results["nginx"].Rps;
            var addedP99 = results["gateway"].P99Ms - results["direct"].P99Ms;
            var nginxAddedP99 = results["nginx"].P99Ms - results["direct"].P99Ms;
            Console.WriteLine($"gateway / nginx = {ratio:0.00}x (goal >= 0.7); p99 added over direct: gateway {addedP99:0.00} ms, nginx {nginxAddedP99:0.00} ms (goal < 2 ms)");
            Console.WriteLine($"bare YARP / nginx = {results["bare_yarp"].Rps / results["nginx"].Rps:0.00}x: the ceiling of any YARP gateway co-located like this one");
            return new BenchResult("gateway", "rps_ratio_to_nginx", Math.Round(ratio, 2), "x", 0.7,
                "nginx proxying the same service (req/s)", Math.Round(results["nginx"].Rps), Math.Round(ratio, 2),
                new Dictionary<string, object>
                {
                    ["connections"] = Connections,
                    ["seconds"] = Duration.TotalSeconds,
                    ["rps"] = results.ToDictionary(r => r.Key, r => (object)Math.Round(r.Value.Rps)),
                    ["p99_ms"] = results.ToDictionary(r => r.Key, r => (object)Math.Round(r.Value.P99Ms, 2)),
                    ["gateway_added_p99_ms"] = Math.Round(addedP99, 2),
                    ["nginx_added_p99_ms"] = Math.Round(nginxAddedP99, 2),
                    ["added_p99_goal_ms"] = 2,
                    ["endpoint"] = "GET /api/v1/keys (identity), bearer token validated at the gateway and at identity",
                    ["bare_yarp_ratio_to_nginx"] = Math.Round(results["bare_yarp"].Rps / results["nginx"].Rps, 2),
                });
        }
        finally
        {
            await DropDatabaseAsync(postgres, database);
            scratch.Delete(recursive: true);
        }
    }

    internal static async Task DropDatabaseAsync(PostgresServer postgres, string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"drop database if exists \"{database}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    internal sealed record Host(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    internal static async Task<Host> StartAsync(Dictionary<string, string?> settings, Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:MassTransit"] = "Error";
        settings["Logging:LogLevel:Yarp"] = "Error"; // wrk cuts its connections at the end of each run
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        add(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        map(app);
        await app.StartAsync();
        var address = AddressOf(app);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await http.GetAsync(new Uri(address, "/health"))).IsSuccessStatusCode)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{settings["OTEL_SERVICE_NAME"]} did not become healthy");
            await Task.Delay(100);
        }
        return new Host(app, address);
    }

    static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    static async Task<Host> StartBareYarpAsync(Uri identity)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new Yarp.ReverseProxy.Configuration.RouteConfig
            {
                RouteId = "identity",
                ClusterId = "identity",
                Match = new() { Path = "/api/v1/identity/{**rest}" },
                Transforms = [new Dictionary<string, string> { ["PathPattern"] = "/api/v1/{**rest}" }],
            }],
            [new Yarp.ReverseProxy.Configuration.ClusterConfig
            {
                ClusterId = "identity",
                Destinations = new Dictionary<string, Yarp.ReverseProxy.Configuration.DestinationConfig> { ["identity"] = new() { Address = identity.ToString() } },
            }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new Host(app, AddressOf(app));
    }

    internal static async Task<string> SuperAdminTokenAsync(Uri identity, string passwordFile)
    {
        while (!File.Exists(passwordFile) || File.ReadAllLines(passwordFile).Length < 2)
            await Task.Delay(50);
        var lines = await File.ReadAllLinesAsync(passwordFile);
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(identity, "/api/v1/auth/login"), new { email = lines[0], password = lines[1] });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    static Process StartNginx(string folder, int port, Uri identity)
    {
        var prefix = Directory.CreateDirectory(Path.Combine(folder, "nginx")).FullName;
        foreach (var sub in new[] { "logs", "body", "proxy" })
            Directory.CreateDirectory(Path.Combine(prefix, sub));
        var config = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(config, $$"""
            worker_processes auto;
            daemon off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                upstream identity { server {{identity.Host}}:{{identity.Port}}; keepalive 64; }
                server {
                    listen 127.0.0.1:{{port}};
                    location /api/v1/identity/ {
                        proxy_pass http://identity/api/v1/;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """);
        var start = new ProcessStartInfo("/usr/sbin/nginx") { UseShellExecute = false };
        foreach (var arg in new[] { "-p", prefix, "-c", config })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        Thread.Sleep(500);
        if (process.HasExited)
            throw new InvalidOperationException($"nginx exited: {File.ReadAllText(Path.Combine(prefix, "logs", "error.log"))}");
        return process;
    }

    internal static async Task<(double Rps, double P99Ms)> WrkAsync(Uri url, string token, TimeSpan duration)
    {
        var start = new ProcessStartInfo("/usr/bin/wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", $"-c{Connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url.ToString() })
            start.ArgumentList.Add(arg);
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
            throw new InvalidOperationException($"{url} answered errors under load:\n{output}");
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output);
        var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = p99.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        return (rps, ms);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([\d.]+)(us|ms|s)")]
    private static partial Regex P99();
}
