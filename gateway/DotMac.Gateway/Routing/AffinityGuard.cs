using Yarp.ReverseProxy.Configuration;

namespace DotMac.Gateway.Routing;

/// <summary>
/// YARP 2.1's HashCookie affinity policy needs System.IO.Hashing, which does not restore here, and it is also the
/// default when affinity is enabled without a policy: such a cluster answers 502 at the first request. Every cluster
/// passes through this filter, which rewrites HashCookie (or no policy) to Cookie, the same behaviour with a
/// data-protected cookie instead of a hashed one, and says so in the log.
/// </summary>
public sealed class AffinityGuard(ILogger<AffinityGuard> logger) : IProxyConfigFilter
{
    public const string Refused = "HashCookie";
    public const string Replacement = "Cookie";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var affinity = cluster.SessionAffinity;
        if (affinity?.Enabled != true || (affinity.Policy is not null && !string.Equals(affinity.Policy, Refused, StringComparison.OrdinalIgnoreCase)))
            return ValueTask.FromResult(cluster);
        logger.LogWarning("Cluster {Cluster}: session affinity policy {Policy} is unavailable in this build; using {Replacement}",
            cluster.ClusterId, affinity.Policy ?? "(default HashCookie)", Replacement);
        return ValueTask.FromResult(cluster with { SessionAffinity = affinity with { Policy = Replacement } });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);
}
