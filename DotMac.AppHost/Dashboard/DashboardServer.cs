using DotMac.AppHost.Hosting;
using DotMac.AppHost.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.AppHost.Dashboard;

/// <summary>
/// The fleet at a glance on http://localhost:18888: every resource with its state, health, address, restarts and
/// recent log lines, refreshed live, with a restart button; and what the services send over OTLP (received on
/// 4317/gRPC and 4318/HTTP): traces, structured logs and metrics. Bound to loopback only.
/// </summary>
public sealed record DashboardPorts(int Dashboard, int OtlpGrpc, int OtlpHttp);

public sealed class DashboardServer : IAsyncDisposable
{
    readonly WebApplication _app;

    DashboardServer(WebApplication app) => _app = app;

    public static async Task<DashboardServer> StartAsync(DashboardPorts ports, TelemetryStores telemetry, DistributedApplication fleet, ILogger logger)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenLocalhost(ports.Dashboard);
            TelemetryReceiver.Listen(k, ports.OtlpGrpc, ports.OtlpHttp);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddTelemetryReceiver(telemetry);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        var app = builder.Build();
        app.UseStatusCodePages();
        // Loopback names only: a page whose own name resolves to 127.0.0.1 (DNS rebinding) gets nothing.
        app.Use(async (context, next) =>
        {
            if (context.Request.Host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1")
            {
                await next(context);
                return;
            }
            await TypedResults.Problem("The dashboard answers to localhost only.", statusCode: 403, title: "Forbidden").ExecuteAsync(context);
        });

        app.MapTelemetryReceiver(ports.OtlpGrpc, ports.OtlpHttp);
        app.MapTelemetryApi();
        DashboardPages.Map(app, Page);
        app.MapGet("/api/resources", () => TypedResults.Ok(fleet.Resources.Select(r => r.Status).Distinct().Select(s => s.Snapshot())));
        app.MapGet("/api/resources/{name}/logs", Results<Ok<IReadOnlyList<LogLine>>, ProblemHttpResult> (string name, int? count) =>
            Find(fleet, name) is { } status
                ? TypedResults.Ok(status.RecentLogs(Math.Clamp(count ?? 100, 1, 300)))
                : NotFound(name));
        app.MapPost("/api/resources/{name}/restart", Results<Accepted, ProblemHttpResult> (string name, HttpRequest request) =>
        {
            // A page from another origin in the developer's browser must not be able to restart the fleet.
            var origin = request.Headers.Origin.ToString();
            if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
                return TypedResults.Problem("Cross-origin requests may not restart resources.", statusCode: 403, title: "Forbidden");
            if (Find(fleet, name) is null)
                return NotFound(name);
            if (!fleet.CanRestart(name))
                return TypedResults.Problem($"'{name}' is infrastructure or not started yet; only services restart from here.", statusCode: 409, title: "Cannot restart");
            _ = fleet.RestartAsync(name);
            return TypedResults.Accepted($"/api/resources/{name}");
        });

        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            throw new Infrastructure.InfrastructureException(
                $"The dashboard cannot listen on ports {ports.Dashboard}, {ports.OtlpGrpc} and {ports.OtlpHttp} ({ex.Message}); start with --Ports:dashboard=<port>, --Ports:otlp-grpc=<port>, --Ports:otlp-http=<port> or --Ports:Offset=<n>.", ex);
        }
        logger.LogInformation("Dashboard on http://localhost:{Port}; OTLP received on localhost:{Grpc} (gRPC) and localhost:{Http} (HTTP/protobuf)",
            ports.Dashboard, ports.OtlpGrpc, ports.OtlpHttp);
        return new DashboardServer(app);
    }

    static ResourceStatus? Find(DistributedApplication fleet, string name) =>
        fleet.Resources.Select(r => r.Status).FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"No resource named '{name}'.", statusCode: 404, title: "Resource not found");

    /// <summary>The page served when the dashboard's app (built with the portals) is missing: the resources only.</summary>
    static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("DotMac.AppHost.Dashboard.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
