namespace DotMac.ServiceDefaults.OpenApi;

/// <summary>
/// What every service's OpenAPI document shares: the API versions it describes, the problem statuses, the security
/// schemes and where the gateway publishes them. The gateway serves a service's document at
/// /openapi/{service}/{version}.json with its paths rewritten to the public ones (/api/v1/{service}/...).
/// </summary>
public static class ApiDocs
{
    /// <summary>The versions a service may describe, one document each (a version without endpoints is an empty document).</summary>
    public static readonly string[] Versions = ["v1", "v2"];

    /// <summary>The security scheme of a user's or client's bearer token (an access token issued by identity).</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The OAuth 2.0 client-credentials scheme of partner API clients (RFC 6749 §4.4), at identity's token endpoint.</summary>
    public const string ClientCredentialsScheme = "clientCredentials";

    /// <summary>Identity's token endpoint as the gateway publishes it.</summary>
    public const string TokenPath = "/api/v1/identity/auth/token";

    /// <summary>The schema every problem answer (RFC 7807) refers to.</summary>
    public const string ProblemSchema = "ProblemDetails";

    /// <summary>The scopes an API client can be granted, each the permission of the same name: identity grants exactly these.</summary>
    public static readonly IReadOnlyDictionary<string, string> ClientScopes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["customers:read"] = "Read customers and their portal accounts",
        ["customers:write"] = "Create and change customers",
        ["billing:read"] = "Read billing accounts, subscriptions, invoices and payments",
        ["billing:write"] = "Record payments, run billing, change subscriptions",
        ["services:read"] = "Read plans, orders and services",
        ["services:write"] = "Submit orders and change services",
        ["network:read"] = "Read IPAM, devices and subscribers",
        ["network:write"] = "Change IPAM and devices",
        ["events:read"] = "Read the event history",
        ["webhooks:read"] = "Read webhook subscriptions and deliveries",
        ["webhooks:write"] = "Manage webhook subscriptions and replays",
    };

    /// <summary>The document a route of the given relative path belongs to ("api/v1/plans" is v1), or null for none.</summary>
    public static string? DocumentOf(string? relativePath)
    {
        if (relativePath is null)
            return null;
        var path = relativePath.TrimStart('/');
        if (path.StartsWith(".well-known/", StringComparison.Ordinal))
            return "v1";
        foreach (var version in Versions)
            if (path.StartsWith($"api/{version}/", StringComparison.Ordinal))
                return version;
        return null;
    }
}
