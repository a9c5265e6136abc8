using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace DotMac.Gateway.Routing;

/// <summary>
/// /api/{version}/{service}/{**rest} goes to {service} as /api/{version}/{rest}: the public URL names the service,
/// the service itself owns everything under /api/{version}. A new API version of a service is a new route
/// (see docs/api-versioning.md).
/// </summary>
public static class ProxyRoutes
{
    public static readonly string[] Versions = ["v1"];

    public static IReadOnlyList<RouteConfig> Routes(Upstreams upstreams) =>
        upstreams.All.SelectMany(u => Versions.Select(version => new RouteConfig
        {
            RouteId = $"{u.Name}-{version}",
            ClusterId = u.Name,
            Match = new RouteMatch { Path = $"/api/{version}/{u.Name}/{{**rest}}" },
            Transforms = [new Dictionary<string, string> { ["PathPattern"] = $"/api/{version}/{{**rest}}" }],
        })).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(Upstreams upstreams) =>
        upstreams.All.Select(u => new ClusterConfig
        {
            ClusterId = u.Name,
            Destinations = new Dictionary<string, DestinationConfig> { [$"{u.Name}-0"] = new() { Address = u.Address.ToString() } },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
        }).ToList();
}
