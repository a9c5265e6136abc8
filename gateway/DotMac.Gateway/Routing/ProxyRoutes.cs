using DotMac.Gateway.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace DotMac.Gateway.Routing;

/// <summary>
/// /api/{version}/{service}/{**rest} goes to {service} as /api/{version}/{rest}: the public URL names the service,
/// the service itself owns everything under /api/{version}. Every route needs a valid token except those that say
/// otherwise: identity's logins and token endpoints (strict per-IP limit), refresh, /.well-known (discovery,
/// JWKS) and devtools' event catalog (public documentation). A new API version of a service is a new route (see docs/api-versioning.md).
/// </summary>
public static class ProxyRoutes
{
    public static readonly string[] Versions = ["v1", "v2"];

    public static IReadOnlyList<RouteConfig> Routes(Upstreams upstreams, GatewayOptions options)
    {
        var routes = new List<RouteConfig>();
        foreach (var upstream in upstreams.All)
        {
            foreach (var version in Versions)
            {
                var policy = GatewayPolicies.PlatformServices.Contains(upstream.Name) ? GatewayPolicies.PlatformStaff : GatewayPolicies.Authenticated;
                routes.Add(Route($"{upstream.Name}-{version}", upstream.Name, $"/api/{version}/{upstream.Name}/{{**rest}}", $"/api/{version}/{{**rest}}",
                    policy, GatewayPolicies.CallerLimit, options.DefaultTimeout));
            }
        }
        if (upstreams.All.Any(u => u.Name == "identity"))
        {
            routes.Add(Route("identity-v1-auth", "identity", "/api/v1/identity/auth/{**rest}", "/api/v1/auth/{**rest}",
                GatewayPolicies.Anonymous, GatewayPolicies.LoginLimit, options.LoginTimeout));
            routes.Add(Route("identity-v1-refresh", "identity", "/api/v1/identity/auth/refresh", "/api/v1/auth/refresh",
                GatewayPolicies.Anonymous, GatewayPolicies.AnonymousLimit, options.LoginTimeout));
            routes.Add(Route("identity-well-known", "identity", "/.well-known/{**rest}", null,
                GatewayPolicies.Anonymous, GatewayPolicies.AnonymousLimit, options.LoginTimeout));
        }
        if (upstreams.All.Any(u => u.Name == "devtools"))
            routes.Add(Route("devtools-v1-catalog", "devtools", "/api/v1/devtools/catalog/{**rest}", "/api/v1/catalog/{**rest}",
                GatewayPolicies.Anonymous, GatewayPolicies.AnonymousLimit, options.DefaultTimeout));
        return routes;
    }

    static RouteConfig Route(string id, string cluster, string path, string? pathPattern, string authorization, string rateLimit, TimeSpan timeout) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        Transforms = pathPattern is null ? null : [new Dictionary<string, string> { ["PathPattern"] = pathPattern }],
        AuthorizationPolicy = authorization,
        RateLimiterPolicy = rateLimit,
        CorsPolicy = GatewayPolicies.Portals,
        Timeout = timeout,
    };

    public static IReadOnlyList<ClusterConfig> Clusters(Upstreams upstreams, GatewayOptions options) =>
        upstreams.All.Select(u => new ClusterConfig
        {
            ClusterId = u.Name,
            Destinations = new Dictionary<string, DestinationConfig> { [$"{u.Name}-0"] = new() { Address = u.Address.ToString() } },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.DefaultTimeout },
            SessionAffinity = options.SessionAffinity.TryGetValue(u.Name, out var policy)
                ? new SessionAffinityConfig { Enabled = true, Policy = policy, AffinityKeyName = $".DotMac.Affinity.{u.Name}" }
                : null,
        }).ToList();
}
