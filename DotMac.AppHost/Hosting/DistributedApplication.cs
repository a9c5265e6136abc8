using System.Diagnostics;
using System.Runtime.InteropServices;
using DotMac.AppHost.Dashboard;
using DotMac.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Hosting;

/// <summary>
/// Runs the model: infrastructure first, then each project once what it waits for is healthy; supervises them,
/// serves the dashboard, and on Ctrl+C or SIGTERM stops the projects and lets go of the infrastructure.
/// </summary>
public sealed class DistributedApplication
{
    readonly DistributedApplicationBuilder _builder;
    readonly Dictionary<string, ProjectRunner> _runners = new(StringComparer.Ordinal);
    readonly ILoggerFactory _loggers = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider((category, level, line) => ConsoleLog.Write(category, line, level >= LogLevel.Error))));

    internal DistributedApplication(DistributedApplicationBuilder builder) => _builder = builder;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => DistributedApplicationBuilder.CreateBuilder(args);

    public IReadOnlyList<IResource> Resources => _builder.Resources;

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync()
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        await RunAsync(stop.Token);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var logger = _loggers.CreateLogger("apphost");
        var clock = Stopwatch.StartNew();
        var config = _builder.Configuration;
        var state = StateDirectory.Resolve();
        var gatewayPort = Projects.FirstOrDefault(p => p.External)?.Port ?? 0;
        var runDirectory = Path.Combine(state, $"apphost-{gatewayPort}");
        Directory.CreateDirectory(runDirectory);
        ConsoleLog.PrefixWidth = Resources.Max(r => r.Name.Length);

        using var instance = await SingleInstanceAsync(runDirectory);
        foreach (var project in Projects)
            ProjectRunner.KillOrphan(runDirectory, project.Name);

        var ports = new DashboardPorts(_builder.ResolvePort("dashboard", 18888), _builder.ResolvePort("otlp-grpc", 4317), _builder.ResolvePort("otlp-http", 4318));
        var dashboardPort = ports.Dashboard;
        await using var dashboard = await DashboardServer.StartAsync(ports, new Telemetry.TelemetryStores(Telemetry.TelemetryLimits.From(config)), this, logger);
        try
        {
            await StartInfrastructureAsync(config, state, logger, stopping);
            var environment = config["Environment"] ?? "Development";
            var extra = TelemetryEnvironment(config, ports, logger);
            foreach (var project in Projects)
                _runners[project.Name] = new ProjectRunner(project, runDirectory, environment, extra);

            var starts = Projects.Select(p => StartWhenReadyAsync(p, stopping)).ToList();
            var allHealthy = Task.WhenAll(Projects.Select(p => p.Status.Ready.Task));
            await Task.WhenAny(allHealthy, Task.Delay(Timeout.Infinite, stopping));
            if (allHealthy.IsCompletedSuccessfully)
                PrintSummary(clock.Elapsed, dashboardPort);
            await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.WhenAll(starts);
        }
        catch (InfrastructureException ex)
        {
            logger.LogCritical("{Message}", ex.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            await ShutdownAsync(logger);
        }
    }

    internal IReadOnlyList<ProjectResource> Projects => _builder.Resources.OfType<ProjectResource>().ToList();

    internal Task RestartAsync(string name) =>
        _runners.TryGetValue(name, out var runner) ? runner.RestartAsync() : Task.CompletedTask;

    internal bool CanRestart(string name) => _runners.TryGetValue(name, out var runner) && runner.Started;

    async Task StartInfrastructureAsync(IConfiguration config, string state, ILogger logger, CancellationToken stopping)
    {
        var tasks = new List<Task>();
        foreach (var postgres in _builder.Resources.OfType<PostgresServerResource>())
        {
            tasks.Add(StartServerAsync(postgres.Status, async () =>
            {
                postgres.Server = await PostgresServer.AcquireAsync(state, _loggers.CreateLogger(postgres.Name),
                    config.GetConnectionString(postgres.Name), name: postgres.Name, cancellationToken: stopping);
                foreach (var database in postgres.Databases)
                    await postgres.Server.CreateDatabaseIfMissingAsync(database.DatabaseName, stopping);
                postgres.Status.Url = $"postgres://127.0.0.1:{postgres.Server.Port}";
                return $"{postgres.Databases.Count} databases";
            }, stopping));
        }
        foreach (var rabbit in _builder.Resources.OfType<RabbitMqServerResource>())
        {
            tasks.Add(StartServerAsync(rabbit.Status, async () =>
            {
                rabbit.Server = await RabbitMqServer.AcquireAsync(state, _loggers.CreateLogger(rabbit.Name),
                    config.GetConnectionString(rabbit.Name), name: rabbit.Name, cancellationToken: stopping);
                rabbit.Status.Url = rabbit.Server.External ? null : $"http://localhost:{rabbit.Server.ManagementPort}";
                return $"amqp on port {rabbit.Server.Port}";
            }, stopping));
        }
        await Task.WhenAll(tasks);
        logger.LogInformation("Infrastructure ready");
    }

    static Task StartServerAsync(ResourceStatus status, Func<Task<string>> start, CancellationToken stopping) => Task.Run(async () =>
    {
        status.Set(ResourceState.Starting);
        try
        {
            status.Set(ResourceState.Healthy, await start());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            status.Set(ResourceState.Failed, ex.Message);
            throw;
        }
    }, stopping);

    async Task StartWhenReadyAsync(ProjectResource project, CancellationToken stopping)
    {
        var waits = project.WaitsFor.Select(w => w.Status.Ready.Task).ToList();
        if (waits.Count > 0)
        {
            project.Status.Set(ResourceState.Waiting, "waiting for " + string.Join(", ", project.WaitsFor.Select(w => w.Status.Name).Distinct()));
            await Task.WhenAny(Task.WhenAll(waits), Task.Delay(Timeout.Infinite, stopping)).ConfigureAwait(false);
        }
        if (!stopping.IsCancellationRequested)
            await _runners[project.Name].StartAsync();
    }

    async Task ShutdownAsync(ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        logger.LogInformation("Stopping the fleet");
        await Task.WhenAll(_runners.Values.Select(r => r.StopAsync(TimeSpan.FromSeconds(8))));
        var infrastructure = new List<Task>();
        foreach (var postgres in _builder.Resources.OfType<PostgresServerResource>())
        {
            if (postgres.Server is { } server)
                infrastructure.Add(Release(server, postgres.Status));
        }
        foreach (var rabbit in _builder.Resources.OfType<RabbitMqServerResource>())
        {
            if (rabbit.Server is { } server)
                infrastructure.Add(Release(server, rabbit.Status));
        }
        await Task.WhenAll(infrastructure);
        logger.LogInformation("Stopped in {Seconds:0.0} s", clock.Elapsed.TotalSeconds);

        static async Task Release(ManagedServer server, ResourceStatus status)
        {
            status.Set(ResourceState.Stopping);
            await server.DisposeAsync();
            status.Set(ResourceState.Stopped);
        }
    }

    void PrintSummary(TimeSpan elapsed, int dashboardPort)
    {
        ConsoleLog.Write("apphost", $"All {Projects.Count} services healthy in {elapsed.TotalSeconds:0.0} s");
        foreach (var resource in Resources.OrderByDescending(r => r is ProjectResource { External: true }).ThenBy(r => r is ProjectResource))
        {
            var s = resource.Status.Snapshot();
            ConsoleLog.Write("apphost", $"  {s.Name,-12} {s.State,-9} {s.Url}");
        }
        ConsoleLog.Write("apphost", $"  {"dashboard",-12} {"Running",-9} http://localhost:{dashboardPort}");
        if (Resources.FirstOrDefault(r => r is ProjectResource { External: true })?.Status.Snapshot().Url is { } gateway)
        {
            var root = gateway.TrimEnd('/');
            ConsoleLog.Write("apphost", $"  {"console",-12} {"",-9} {root}/console   (staff: log in with your organisation, e-mail and password)");
            ConsoleLog.Write("apphost", $"  {"portal",-12} {"",-9} {root}/portal    (customers: Portal ID and password)");
            ConsoleLog.Write("apphost", $"  {"docs",-12} {"",-9} {root}/docs");
        }
        ConsoleLog.Write("apphost", "Press Ctrl+C to stop the fleet.");
    }

    /// <summary>
    /// Every service exports to the dashboard's OTLP receiver (gRPC), as Aspire points services at its dashboard; OTEL_*
    /// variables of the AppHost's own environment flow through and win (an endpoint of your own collector, say).
    /// Telemetry:Export=false turns the export off.
    /// </summary>
    static Dictionary<string, string> TelemetryEnvironment(IConfiguration config, DashboardPorts ports, ILogger logger)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.Equals(config["Telemetry:Export"], "false", StringComparison.OrdinalIgnoreCase))
        {
            result["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://localhost:{ports.OtlpGrpc}";
            result["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
            result["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
        }
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("OTEL_", StringComparison.Ordinal) && key != "OTEL_SERVICE_NAME")
                result[key] = (string)entry.Value!;
        }
        if (!result.TryGetValue("OTEL_EXPORTER_OTLP_ENDPOINT", out var endpoint))
            logger.LogInformation("Telemetry export is off (Telemetry:Export=false): the dashboard shows states and console lines only");
        else if (endpoint != $"http://localhost:{ports.OtlpGrpc}")
            logger.LogInformation("Services export telemetry to {Endpoint} (from OTEL_EXPORTER_OTLP_ENDPOINT), not to the dashboard", endpoint);
        return result;
    }

    static async Task<FileLock> SingleInstanceAsync(string runDirectory)
    {
        try
        {
            return await FileLock.AcquireAsync(Path.Combine(runDirectory, "lock"), TimeSpan.FromSeconds(2));
        }
        catch (InfrastructureException)
        {
            throw new InfrastructureException(
                "Another DotMac AppHost is already running with these ports (stop it, or start this one with --Ports:Offset=100).");
        }
    }
}
