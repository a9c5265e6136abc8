using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DotMac.ServiceDefaults.Health;

/// <summary>
/// /health is readiness (the database, its migrations and the bus: every check tagged "ready");
/// /alive is liveness (the process answers). Both are mapped in every environment: Kubernetes probes need them.
/// </summary>
public static class HealthExtensions
{
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // A failing check is reported by /health (and shown by the gateway and the AppHost); logging its exception
        // on every probe would bury the logs during an outage.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains(LiveTag),
            ResultStatusCodes = StatusCodes,
            ResponseWriter = WriteReport,
        }).DisableHttpMetrics();
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResultStatusCodes = StatusCodes,
            ResponseWriter = WriteReport,
        }).DisableHttpMetrics();
        return app;
    }

    // Degraded is not ready: a load balancer should not send traffic to a service that cannot do its work.
    static readonly Dictionary<HealthStatus, int> StatusCodes = new()
    {
        [HealthStatus.Healthy] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Degraded] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
        [HealthStatus.Unhealthy] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
    };

    static Task WriteReport(HttpContext context, HealthReport report)
    {
        var identity = context.RequestServices.GetRequiredService<ServiceIdentity>();
        var body = new HealthDocument(
            identity.Name,
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(
                    e.Value.Status.ToString(),
                    e.Value.Description ?? e.Value.Exception?.Message,
                    e.Value.Duration.TotalMilliseconds,
                    e.Value.Data.Count == 0 ? null : e.Value.Data.ToDictionary(d => d.Key, d => d.Value?.ToString()))));
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Default.HealthDocument, context.RequestAborted);
    }
}
