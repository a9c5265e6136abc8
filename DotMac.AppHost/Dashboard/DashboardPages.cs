using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace DotMac.AppHost.Dashboard;

/// <summary>
/// The dashboard's app (portals/dashboard, built with the portals and copied beside the AppHost as dashboard-app/):
/// resources, traces, logs and metrics. Without it (the portals not built), "/" is the embedded resources page.
/// </summary>
static class DashboardPages
{
    static readonly string[] Routes = ["/", "/resources", "/traces", "/logs", "/metrics"];

    const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static void Map(WebApplication app, Lazy<string> fallback)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "dashboard-app");
        var index = Path.Combine(root, "dashboard", "index.html");
        if (!File.Exists(index))
        {
            app.MapGet("/", () => Results.Content(fallback.Value, "text/html; charset=utf-8"));
            return;
        }
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var page = Routes.Any(r => r == "/" ? path == "/" : path.StartsWithSegments(r));
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (page)
                {
                    headers[HeaderNames.CacheControl] = "no-cache";
                    headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                }
                return Task.CompletedTask;
            });
            if (page && !Path.HasExtension(path.Value))
                context.Request.Path = "/dashboard/index.html";
            await next();
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) });
    }
}
