using DotMac.Gateway.Health;
using DotMac.Gateway.Routing;
using DotMac.ServiceDefaults.Health;

namespace DotMac.Gateway.Extensions;

internal static class Extensions
{
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var upstreams = Upstreams.From(builder.Configuration);
        builder.Services.AddSingleton(upstreams);
        builder.Services.AddReverseProxy().LoadFromMemory(ProxyRoutes.Routes(upstreams), ProxyRoutes.Clusters(upstreams));

        // Readiness of the gateway is the readiness of every service behind it, one check each.
        builder.Services.AddSingleton<UpstreamHealthProbe>();
        var checks = builder.Services.AddHealthChecks();
        foreach (var upstream in upstreams.All)
            checks.Add(new(upstream.Name, sp => new UpstreamHealthCheck(sp.GetRequiredService<UpstreamHealthProbe>(), upstream),
                failureStatus: null, tags: [HealthExtensions.ReadyTag], timeout: UpstreamHealthProbe.Timeout + TimeSpan.FromSeconds(1)));
    }
}
