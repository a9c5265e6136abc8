using System.Diagnostics.CodeAnalysis;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>How far a permission reaches: the caller's own records, its tenant, or every tenant.</summary>
public enum PermissionScope
{
    Own = 1,
    Tenant = 2,
    Global = 3,
}

/// <summary>
/// "resource:action:scope", e.g. "customers:write:tenant". "*" as resource or action matches any. Carried in the
/// access token as "perm" claims, so a service decides without asking identity.
/// </summary>
public sealed record Permission(string Resource, string Action, PermissionScope Scope)
{
    public bool Matches(string resource, string action) =>
        (Resource == "*" || string.Equals(Resource, resource, StringComparison.Ordinal))
        && (Action == "*" || string.Equals(Action, action, StringComparison.Ordinal));

    public override string ToString() => $"{Resource}:{Action}:{ScopeName(Scope)}";

    public static string ScopeName(PermissionScope scope) => scope switch
    {
        PermissionScope.Own => "own",
        PermissionScope.Tenant => "tenant",
        _ => "global",
    };

    public static bool TryParseScope(string? value, out PermissionScope scope)
    {
        scope = value switch
        {
            "own" => PermissionScope.Own,
            "tenant" => PermissionScope.Tenant,
            "global" => PermissionScope.Global,
            _ => 0,
        };
        return scope != 0;
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out Permission? permission)
    {
        permission = null;
        var parts = value?.Split(':');
        if (parts is not { Length: 3 } || parts[0].Length == 0 || parts[1].Length == 0 || !TryParseScope(parts[2], out var scope))
            return false;
        permission = new Permission(parts[0], parts[1], scope);
        return true;
    }
}
