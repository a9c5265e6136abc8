using DotMac.AppHost.Infrastructure;
using DotMac.AppHost.Telemetry;

namespace DotMac.Bench;

/// <summary>
/// telemetry: what OTLP export costs. The gateway's benchmark path (a JWT-authenticated GET through the gateway to
/// identity) driven by wrk, with identity and the gateway exporting traces, logs and metrics over OTLP/gRPC to the
/// AppHost's own receiver (in this process, as under the AppHost), and the same with export off; alternated
/// twice so no side gets the warmer machine, with two variants beside them that show where the cost lies: metrics and
/// logs only (no trace sampled), and one trace in ten. Goal: export on at least 0.9x export off.
/// </summary>
public static class TelemetryBenchmark
{
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var logger = loggers.CreateLogger("bench");
        var state = StateDirectory.Resolve();
        await PackageInstaller.InstallAsync("wrk", ["wrk"], () => File.Exists("/usr/bin/wrk"), state, logger, CancellationToken.None);

        await using var postgres = await PostgresServer.AcquireAsync(state, logger, Environment.GetEnvironmentVariable("ConnectionStrings__postgres"));
        await using var rabbit = await RabbitMqServer.AcquireAsync(state, logger, Environment.GetEnvironmentVariable("ConnectionStrings__messaging"), name: "messaging");
        var database = $"bench_telemetry_{Guid.NewGuid():N}"[..30];
        await postgres.CreateDatabaseIfMissingAsync(database);
        var scratch = Directory.CreateTempSubdirectory("dotmac-bench-telemetry-");
        var stores = new TelemetryStores(new TelemetryLimits());
        var grpcPort = Ports.FirstFree(48317);
        await using var receiver = await StartReceiverAsync(stores, grpcPort, Ports.FirstFree(grpcPort + 1));
        try
        {
            if (args is ["profile", ..])
            {
                // `bench/run telemetry profile`: export on for 40 s, to attach dotnet-trace to this process (pid printed).
                Console.WriteLine($"profiling run: pid {Environment.ProcessId}, export on for 40 s after the warm-up");
                var profiled = await MeasureAsync($"http://localhost:{grpcPort}", "", postgres, rabbit, database, scratch.FullName, TimeSpan.FromSeconds(40));
                Console.WriteLine($"export on: {profiled:0} req/s");
            }
            var off = new List<double>();
            var on = new List<double>();
            var untraced = new List<double>();
            var sampled = new List<double>();
            // A round not counted first: the first hosts of the process run on cold code (tiered JIT) whatever they export.
            for (var round = -1; round < 2; round++)
            {
                // Off, on, and two variants that show where the cost is: metrics and logs only (traces not sampled),
                // and one trace in ten (OTEL_TRACES_SAMPLER=parentbased_traceidratio, 0.1).
                foreach (var (name, list, sampler) in new[] { ("off", off, (string?)null), ("on", on, ""), ("no traces", untraced, "always_off"), ("10% traces", sampled, "parentbased_traceidratio") })
                {
                    var rps = await MeasureAsync(sampler is null ? null : $"http://localhost:{grpcPort}", sampler, postgres, rabbit, database, scratch.FullName);
                    if (round >= 0)
                        list.Add(rps);
                    Console.WriteLine($"{(round < 0 ? "warm-up" : $"round {round + 1}"),-8} export {name,-10}: {rps,8:0} req/s");
                }
            }
            var (spans, received, _, _) = stores.Traces.Counts();
            var (logs, _, _) = stores.Logs.Counts();
            var rpsOn = on.Average();
            var rpsOff = off.Average();
            var ratio = rpsOn / rpsOff;
            Console.WriteLine($"export on / off = {ratio:0.00}x (goal >= 0.9); the receiver took {received:N0} spans and holds {logs:N0} log records");
            Console.WriteLine($"metrics and logs only / off = {untraced.Average() / rpsOff:0.00}x; one trace in ten / off = {sampled.Average() / rpsOff:0.00}x");
            return new BenchResult("telemetry", "rps_ratio_export_on_to_off", Math.Round(ratio, 2), "x", 0.9,
                "the same fleet with OTLP export off (req/s)", Math.Round(rpsOff), Math.Round(ratio, 2),
                new Dictionary<string, object>
                {
                    ["rps_on"] = Math.Round(rpsOn),
                    ["rps_off"] = Math.Round(rpsOff),
                    ["rounds_on"] = on.Select(v => Math.Round(v)).ToArray(),
                    ["rounds_off"] = off.Select(v => Math.Round(v)).ToArray(),
                    ["seconds"] = Duration.TotalSeconds,
                    ["spans_received"] = received,
                    ["rps_metrics_and_logs_only"] = Math.Round(untraced.Average()),
                    ["rps_traces_sampled_10_percent"] = Math.Round(sampled.Average()),
                    ["ratio_metrics_and_logs_only"] = Math.Round(untraced.Average() / rpsOff, 2),
                    ["ratio_traces_sampled_10_percent"] = Math.Round(sampled.Average() / rpsOff, 2),
                    ["endpoint"] = "GET /api/v1/identity/keys through the gateway (bearer token validated at the gateway and at identity)",
                    ["exporter"] = "OTLP/gRPC to the AppHost's receiver in this process: traces, logs, metrics every 5 s",
                });
        }
        finally
        {
            await GatewayBenchmark.DropDatabaseAsync(postgres, database);
            scratch.Delete(recursive: true);
        }
    }

    static async Task<double> MeasureAsync(string? otlp, string? sampler, PostgresServer postgres, RabbitMqServer rabbit, string database, string scratch,
        TimeSpan? duration = null)
    {
        Dictionary<string, string?> Telemetry(Dictionary<string, string?> settings)
        {
            if (otlp is not null)
            {
                settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
                settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                settings["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
                if (!string.IsNullOrEmpty(sampler))
                {
                    settings["OTEL_TRACES_SAMPLER"] = sampler;
                    settings["OTEL_TRACES_SAMPLER_ARG"] = "0.1";
                }
            }
            return settings;
        }
        var identity = await GatewayBenchmark.StartAsync(Telemetry(new()
        {
            ["ConnectionStrings:identity-db"] = postgres.ConnectionStringFor(database),
            ["ConnectionStrings:messaging"] = rabbit.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "identity",
            ["DotMac:Identity:BootstrapPasswordFile"] = Path.Combine(scratch, "super-admin.txt"),
            ["DotMac:Identity:KeyEncryptionKeyFile"] = Path.Combine(scratch, "kek"),
        }), b => Identity.Extensions.Extensions.AddApplicationServices(b), a => Identity.Extensions.Extensions.MapApplicationEndpoints(a));
        var gateway = await GatewayBenchmark.StartAsync(Telemetry(new()
        {
            ["OTEL_SERVICE_NAME"] = "gateway",
            ["services:identity:http:0"] = identity.Address.ToString(),
            ["Gateway:RateLimits:Default:PerSecond"] = "10000000",
            ["Gateway:RateLimits:Default:Burst"] = "10000000",
        }), b => Gateway.Extensions.Extensions.AddGateway(b), a => Gateway.Extensions.Extensions.MapGateway(a));
        try
        {
            var token = await GatewayBenchmark.SuperAdminTokenAsync(identity.Address, Path.Combine(scratch, "super-admin.txt"));
            var url = new Uri(gateway.Address, "/api/v1/identity/keys");
            await GatewayBenchmark.WrkAsync(url, token, TimeSpan.FromSeconds(6)); // warm-up
            return (await GatewayBenchmark.WrkAsync(url, token, duration ?? Duration)).Rps;
        }
        finally
        {
            await gateway.DisposeAsync();
            await identity.DisposeAsync();
        }
    }

    sealed class Receiver(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The AppHost's OTLP receiver alone (no dashboard pages), on free loopback ports.</summary>
    static async Task<Receiver> StartReceiverAsync(TelemetryStores stores, int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => TelemetryReceiver.Listen(k, grpcPort, httpPort));
        builder.Services.AddTelemetryReceiver(stores);
        var app = builder.Build();
        app.MapTelemetryReceiver(grpcPort, httpPort);
        await app.StartAsync();
        return new Receiver(app);
    }
}
