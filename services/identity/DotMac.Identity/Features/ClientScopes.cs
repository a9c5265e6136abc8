using DotMac.ServiceDefaults.Auth;

namespace DotMac.Identity.Features;

/// <summary>The OAuth scopes a partner API client can hold: "resource:action", each tenant-wide.</summary>
public static class ClientScopes
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "customers:read", "customers:write", "billing:read", "billing:write",
        "services:read", "services:write", "network:read", "network:write",
        "events:read", "webhooks:read", "webhooks:write",
    };

    public static Permission ToPermission(string scope)
    {
        var parts = scope.Split(':');
        return new Permission(parts[0], parts[1], PermissionScope.Tenant);
    }
}
