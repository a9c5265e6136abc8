using System.Reflection;
using DotMac.Gateway.Routing;
using DotMac.Gateway.Security;
using DotMac.ServiceDefaults.OpenApi;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace DotMac.Gateway.Docs;

/// <summary>
/// The partner's one page: /docs (Swagger UI, served from the gateway's own assembly, nothing fetched elsewhere) with
/// every service's document, "Authorize" against identity's token endpoint, and /docs/events, the event catalog
/// (AsyncAPI, from devtools) rendered by a page of ours. The documents: /openapi/{service}/{version}.json, anonymous.
/// </summary>
public static class DocsEndpoints
{
    /// <summary>API versions beyond v1 that a service publishes, listed on the docs page beside its v1.</summary>
    static readonly Dictionary<string, string[]> LaterVersions = new() { ["platform"] = ["v2"] };

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddSingleton<PublishedDocuments>();
        services.AddHttpClient(PublishedDocuments.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>Swagger UI at /docs; before routing, so that its assets never meet the proxy.</summary>
    public static WebApplication UseApiDocs(this WebApplication app)
    {
        var upstreams = app.Services.GetRequiredService<Upstreams>();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.DocumentTitle = "DotMac API";
            foreach (var upstream in upstreams.All)
            {
                options.SwaggerEndpoint($"/openapi/{upstream.Name}/v1.json", $"{upstream.Name} v1");
                foreach (var version in LaterVersions.GetValueOrDefault(upstream.Name, []))
                    options.SwaggerEndpoint($"/openapi/{upstream.Name}/{version}.json", $"{upstream.Name} {version}");
            }
            options.OAuthScopeSeparator(" ");
            options.OAuthAppName("DotMac API docs");
            options.EnablePersistAuthorization();
            options.EnableDeepLinking();
            options.EnableFilter();
            options.DisplayRequestDuration();
            options.DocExpansion(DocExpansion.List);
            options.InjectStylesheet("/docs/pages/docs.css");
            options.InjectJavascript("/docs/pages/nav.js");
        });
        return app;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapGet("/openapi/{service}/{version}.json", async (string service, string version, HttpContext context, PublishedDocuments documents) =>
                TypedResults.Text(await documents.GetAsync(service, version, new Uri($"{context.Request.Scheme}://{context.Request.Host}"), context.RequestAborted),
                    "application/json"))
            .AllowAnonymous().RequireRateLimiting(GatewayPolicies.AnonymousLimit).RequireCors(GatewayPolicies.Portals).ExcludeFromDescription();
        app.MapGet("/docs/events", () => Page("events.html")).AllowAnonymous().RequireRateLimiting(GatewayPolicies.AnonymousLimit).ExcludeFromDescription();
        app.MapGet("/docs/pages/{name}", (string name) => Page(name)).AllowAnonymous().RequireRateLimiting(GatewayPolicies.AnonymousLimit).ExcludeFromDescription();
        return app;
    }

    static IResult Page(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"DotMac.Gateway.Docs.Pages.{name}");
        if (stream is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Resource not found", detail: $"No docs page '{name}'.");
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        return TypedResults.Stream(stream, type);
    }
}
