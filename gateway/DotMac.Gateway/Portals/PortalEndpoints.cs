using DotMac.Gateway.Security;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace DotMac.Gateway.Portals;

/// <summary>
/// The staff console (/console) and the customer portal (/portal): the static build of portals/ (copied beside the
/// gateway by its build), compressed, hashed assets cached for a year, each app's index.html for every path below its
/// prefix (client-side routes), with a content security policy that lets the apps talk to this origin only.
/// </summary>
public static class PortalEndpoints
{
    public static readonly string[] Apps = ["console", "portal"];
    const string AssetsPrefix = "/static";

    // Scripts and styles from this origin only; calls to this origin only; invoices are shown in a sandboxed frame.
    const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IServiceCollection AddPortals(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true; // static, public assets: no secret to leak through BREACH
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        return services;
    }

    static bool IsPortalPath(PathString path) =>
        path.StartsWithSegments(AssetsPrefix) || Apps.Any(app => path.StartsWithSegments("/" + app));

    /// <summary>Before routing: the apps' files never meet the proxy, the authentication or the tenant guard.</summary>
    public static WebApplication UsePortals(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<GatewayOptions>();
        var root = Path.GetFullPath(options.PortalsRoot ?? Path.Combine(AppContext.BaseDirectory, "portals"));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DotMac.Gateway.Portals");
        if (!File.Exists(Path.Combine(root, "console", "index.html")))
        {
            logger.LogWarning("The portals are not built ({Root} has no console/index.html): /console and /portal answer 503. " +
                "Building the gateway builds them (npm ci and vite build in portals/).", root);
            app.UseWhen(c => IsPortalPath(c.Request.Path), b => b.Run(context =>
                Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Portals not built",
                    detail: "This gateway was built without the portals (portals/ needs Node.js 20.19 or later).").ExecuteAsync(context)));
            return app;
        }

        logger.LogInformation("Serving the staff console at /console and the customer portal at /portal from {Root}", root);
        var files = new PhysicalFileProvider(root);
        app.UseWhen(c => IsPortalPath(c.Request.Path), branch =>
        {
            branch.UseResponseCompression();
            branch.Use(async (context, next) =>
            {
                var path = context.Request.Path;
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers[HeaderNames.XContentTypeOptions] = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";
                    if (path.StartsWithSegments(AssetsPrefix) && context.Response.StatusCode == StatusCodes.Status200OK)
                        headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable";
                    else
                    {
                        headers[HeaderNames.CacheControl] = "no-cache";
                        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                    }
                    return Task.CompletedTask;
                });
                // Client-side routes: anything below /console or /portal that is not a file is the app's page.
                var app = Apps.FirstOrDefault(a => path.StartsWithSegments("/" + a));
                if (app is not null && !Path.HasExtension(path.Value))
                    context.Request.Path = $"/{app}/index.html";
                await next();
            });
            branch.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            branch.Run(context => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Resource not found",
                detail: $"No file {context.Request.Path}.").ExecuteAsync(context));
        });
        return app;
    }
}
