using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotMac.Gateway.Routing;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.Gateway.Docs;

/// <summary>
/// A service's OpenAPI document as the gateway publishes it: fetched from the service, its paths rewritten to the
/// public ones (/api/v1/plans of services is /api/v1/services/plans here), the gateway as the one server and the
/// token endpoint absolute. Kept for a short while, so a docs page full of readers costs the service one request.
/// </summary>
public sealed class PublishedDocuments(Upstreams upstreams, IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "openapi-documents";
    static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    // The services' own documents; each answer is rewritten for the address its reader used.
    readonly ConcurrentDictionary<(string Service, string Version), (DateTimeOffset At, string Json)> _cache = new();

    public async Task<string> GetAsync(string service, string version, Uri publicBase, CancellationToken cancellationToken)
    {
        var upstream = upstreams.All.FirstOrDefault(u => u.Name == service)
            ?? throw new NotFoundException("Document", $"/openapi/{service}/{version}.json");
        if (!ApiDocs.Versions.Contains(version))
            throw new NotFoundException("Document", $"/openapi/{service}/{version}.json");
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue((service, version), out var cached) || now - cached.At > Freshness)
        {
            try
            {
                using var response = await clients.CreateClient(ClientName).GetAsync(new Uri(upstream.Address, $"/openapi/{version}.json"), cancellationToken);
                if (!response.IsSuccessStatusCode)
                    throw new UpstreamUnavailableException($"The {service} service did not give its {version} document ({(int)response.StatusCode}).");
                var json = await response.Content.ReadAsStringAsync(cancellationToken);
                _ = JsonNode.Parse(json) ?? throw new JsonException("an empty document");
                cached = (now, json);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamUnavailableException($"The {service} service did not give its {version} document: {e.Message}");
            }
            _cache[(service, version)] = cached;
        }
        return Publish(cached.Json, service, version, publicBase);
    }

    /// <summary>The rewrite, apart for its tests: paths under /api/{version}/ gain the service's name; /.well-known stays.</summary>
    public static string Publish(string json, string service, string version, Uri publicBase)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        var root = publicBase.GetLeftPart(UriPartial.Authority);
        document["servers"] = new JsonArray(new JsonObject { ["url"] = root, ["description"] = "The DotMac gateway" });
        if (document["paths"] is JsonObject paths)
        {
            var rewritten = new JsonObject();
            var prefix = $"/api/{version}/";
            foreach (var (path, item) in paths.ToList())
            {
                paths.Remove(path);
                var published = path.StartsWith(prefix, StringComparison.Ordinal) ? $"{prefix}{service}/{path[prefix.Length..]}" : path;
                rewritten[published] = item;
            }
            document["paths"] = rewritten;
        }
        if (document["components"]?["securitySchemes"]?[ApiDocs.ClientCredentialsScheme]?["flows"]?["clientCredentials"] is JsonObject flow)
            flow["tokenUrl"] = root + ApiDocs.TokenPath;
        return document.ToJsonString();
    }
}

/// <summary>A service behind the gateway could not answer: 503, try again.</summary>
public sealed class UpstreamUnavailableException(string detail)
    : DomainException("Service unavailable", detail, StatusCodes.Status503ServiceUnavailable, "upstream.unavailable");
