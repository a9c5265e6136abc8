using DotMac.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace DotMac.ServiceDefaults.Health;

/// <summary>GET /api/v1/info: which service, build and schema version answers; what an SRE asks first.</summary>
public static class ServiceInfoEndpoint
{
    public sealed record ServiceInfo(
        string Service,
        string Version,
        string Instance,
        string Environment,
        DateTimeOffset StartedAt,
        double UptimeSeconds,
        SchemaInfo? Schema);

    public sealed record SchemaInfo(string Status, int? Version, int Pending, string? FailedScript);

    public static WebApplication MapServiceInfo(this WebApplication app)
    {
        app.MapGet("/api/v1/info", GetInfo).WithName("Service_Info").WithTags("Service").WithSummary("Which service, build and schema version answers.").DisableHttpMetrics();
        return app;
    }

    static Ok<ServiceInfo> GetInfo(HttpContext context)
    {
        var id = context.RequestServices.GetRequiredService<ServiceIdentity>();
        var migrations = context.RequestServices.GetService<MigrationState>();
        var schema = migrations is null
            ? null
            : new SchemaInfo(migrations.Status.ToString(), migrations.AppliedVersion, migrations.PendingCount, migrations.FailedScript);
        return TypedResults.Ok(new ServiceInfo(
            id.Name, id.Version, id.InstanceId, id.Environment, id.StartedAt,
            Math.Round((DateTimeOffset.UtcNow - id.StartedAt).TotalSeconds, 1), schema));
    }
}
