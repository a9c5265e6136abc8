using DotMac.Gateway.Docs;
using DotMac.Gateway.Health;
using DotMac.Gateway.Portals;
using DotMac.Gateway.Routing;
using DotMac.Gateway.Security;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Health;

namespace DotMac.Gateway.Extensions;

internal static class Extensions
{
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSingleton(options);
        var upstreams = Upstreams.From(builder.Configuration);
        builder.Services.AddSingleton(upstreams);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(ProxyRoutes.Routes(upstreams, options), ProxyRoutes.Clusters(upstreams, options))
            .AddConfigFilter<AffinityGuard>();

        // The same validation every service does: identity's JWKS, cached, refreshed on an unknown kid.
        builder.AddServiceAuthentication();
        builder.Services.AddAuthorization(o => o.AddPolicy(GatewayPolicies.PlatformStaff, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Caller.FromPrincipal(context.User, tenantHeader: null).IsGlobal)));
        builder.Services.AddGatewayRateLimiting(options.RateLimits);
        builder.Services.AddRequestTimeouts();
        builder.Services.AddApiDocs();
        builder.Services.AddPortals();
        builder.Services.AddCors(o => o.AddPolicy(GatewayPolicies.Portals, policy => policy
            .WithOrigins(options.CorsOrigins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "X-Request-Id", "X-Tenant-Id", "Idempotency-Key")
            .WithExposedHeaders("X-Request-Id", "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        // Readiness of the gateway is the readiness of every service behind it, one check each.
        builder.Services.AddSingleton<UpstreamHealthProbe>();
        var checks = builder.Services.AddHealthChecks();
        foreach (var upstream in upstreams.All)
            checks.Add(new(upstream.Name, sp => new UpstreamHealthCheck(sp.GetRequiredService<UpstreamHealthProbe>(), upstream),
                failureStatus: null, tags: [HealthExtensions.ReadyTag], timeout: UpstreamHealthProbe.Timeout + TimeSpan.FromSeconds(1)));
    }

    /// <summary>The front door, in order: the docs page, the portals' static files, CORS, body size, who is calling, which tenant, how often, may they, how long; then the proxy.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<GatewayOptions>();
        app.UseApiDocs();
        app.UsePortals();
        app.UseRouting();
        app.UseCors();
        app.UseMiddleware<BodySizeLimit>(options.MaxRequestBodyBytes);
        app.UseAuthentication();
        app.UseMiddleware<TenantGuard>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        app.MapApiDocs();
        app.MapReverseProxy();
        return app;
    }
}
