using DotMac.ServiceDefaults.Health;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults;

/// <summary>What every DotMac process shares: telemetry, health, problem details, JSON, resilient HTTP.</summary>
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(ServiceIdentity.Of(builder));
        builder.AddDefaultTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddDefaultProblemDetails();
        builder.AddDefaultJson();
        builder.AddDefaultHttpClients();
        builder.Services.AddHostedService<ParentProcessWatcher>();
        return builder;
    }

    /// <summary>Maps /health, /alive and /api/v1/info, and puts the shared middleware in front of the app's endpoints.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseRequestTelemetry();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        app.MapServiceInfo();
        return app;
    }
}
