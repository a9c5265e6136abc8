using DotMac.ServiceDefaults.Http;

namespace DotMac.Gateway.Routing;

public sealed record Upstream(string Name, Uri Address);

/// <summary>
/// The services behind the gateway: every services:{name}:http:0 address in configuration (the AppHost and the
/// Kubernetes manifests set them), minus the gateway itself.
/// </summary>
public sealed class Upstreams(IReadOnlyList<Upstream> all)
{
    public IReadOnlyList<Upstream> All { get; } = all;

    public static Upstreams From(IConfiguration configuration)
    {
        var self = configuration["OTEL_SERVICE_NAME"] ?? "gateway";
        var all = ServiceEndpoints.All(configuration)
            .Where(e => !string.Equals(e.Key, self, StringComparison.OrdinalIgnoreCase))
            .Select(e => new Upstream(e.Key.ToLowerInvariant(), e.Value))
            .OrderBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
        return new Upstreams(all);
    }
}
