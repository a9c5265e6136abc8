using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace DotMac.ServiceDefaults.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>
    /// One OpenAPI 3.0 document per API version (/openapi/v1.json, /openapi/v2.json), generated from the endpoints
    /// themselves: parameters, bodies and typed results as the code declares them, plus what the shared middleware adds
    /// (problem answers, security, idempotency) and the examples endpoints carry.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultOpenApi(this IHostApplicationBuilder builder)
    {
        var service = ServiceIdentity.Of(builder);
        foreach (var version in ApiDocs.Versions)
        {
            builder.Services.AddOpenApi(version, options =>
            {
                options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
                options.ShouldInclude = description => ApiDocs.DocumentOf(description.RelativePath) == version;
                options.AddDocumentTransformer(new ServiceDocumentTransformer(service, version));
                options.AddOperationTransformer(new ConventionsOperationTransformer());
            });
        }
        return builder;
    }

    /// <summary>
    /// Maps the documents (anonymous, read-only) and /openapi/endpoints.json, every route the service maps, which a test
    /// compares with the documents so that no endpoint goes undocumented. The gateway publishes only the documents.
    /// </summary>
    public static WebApplication MapDefaultOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().DisableHttpMetrics();
        app.MapGet("/openapi/endpoints.json", (EndpointDataSource endpoints) => TypedResults.Ok(
                endpoints.Endpoints.OfType<RouteEndpoint>()
                    .Where(e => ApiDocs.DocumentOf(e.RoutePattern.RawText) is not null)
                    .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                        .Select(method => new MappedRoute(method, e.RoutePattern.RawText!)))
                    .OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
                    .ToList()))
            .AllowAnonymous().ExcludeFromDescription().DisableHttpMetrics();
        return app;
    }

    public sealed record MappedRoute(string Method, string Path);
}
