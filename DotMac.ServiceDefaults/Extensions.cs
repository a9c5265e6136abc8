using DotMac.ServiceDefaults.Health;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Problems;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults;

/// <summary>What every DotMac process shares: telemetry, health, problem details, JSON, resilient HTTP, OpenAPI.</summary>
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
        builder.AddDefaultOpenApi();
        builder.Services.AddHostedService<ParentProcessWatcher>();
        return builder;
    }

    /// <summary>Maps /health, /alive, /api/v1/info and the OpenAPI documents, and puts the shared middleware in front of the app's endpoints.</summary>
    /// <param name="app">The service.</param>
    /// <param name="openApi">False for the gateway: it publishes the services' documents, and has no API of its own to describe.</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool openApi = true)
    {
        app.UseRequestTelemetry();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        app.MapServiceInfo();
        if (openApi)
            app.MapDefaultOpenApi();
        return app;
    }
}
