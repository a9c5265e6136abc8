using DotMac.AppHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.AppHost.Dashboard;

/// <summary>
/// The fleet at a glance on http://localhost:18888: every resource with its state, health, address, restarts and
/// recent log lines, refreshed live, with a restart button. Bound to loopback only.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    readonly WebApplication _app;

    DashboardServer(WebApplication app) => _app = app;

    public static async Task<DashboardServer> StartAsync(int port, DistributedApplication fleet, ILogger logger)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.Services.AddProblemDetails();
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

        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
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
            throw new Infrastructure.InfrastructureException($"The dashboard cannot listen on port {port} ({ex.Message}); start with --Ports:dashboard=<port>.", ex);
        }
        logger.LogInformation("Dashboard on http://localhost:{Port}", port);
        return new DashboardServer(app);
    }

    static ResourceStatus? Find(DistributedApplication fleet, string name) =>
        fleet.Resources.Select(r => r.Status).FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"No resource named '{name}'.", statusCode: 404, title: "Resource not found");

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
