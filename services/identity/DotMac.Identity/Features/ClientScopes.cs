using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;

namespace DotMac.Identity.Features;

/// <summary>
/// The OAuth scopes a partner API client can hold: "resource:action", each tenant-wide. One list for the whole fleet:
/// the OpenAPI documents describe the same scopes (<see cref="ApiDocs.ClientScopes"/>).
/// </summary>
public static class ClientScopes
{
    public static readonly IReadOnlySet<string> All = ApiDocs.ClientScopes.Keys.ToHashSet(StringComparer.Ordinal);

    public static Permission ToPermission(string scope)
    {
        var parts = scope.Split(':');
        return new Permission(parts[0], parts[1], PermissionScope.Tenant);
    }
}
