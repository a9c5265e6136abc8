using Dapper;
using DotMac.Identity.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Identity.Features;

/// <summary>Which roles a caller may hand out: visible to the tenant, never super_admin, and no permission the caller lacks.</summary>
static class RoleGrants
{
    sealed record RoleRef(Guid Id, string Name, Guid? TenantId);

    public static async Task<IReadOnlyList<Guid>> AssignableAsync(NpgsqlConnection connection, Caller caller, Guid tenantId,
        IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var roles = (await connection.QueryAsync<RoleRef>(new CommandDefinition(RolesSql.FindVisibleByNames,
            new { Names = names.Distinct().ToArray(), TenantId = tenantId }, cancellationToken: cancellationToken))).ToList();
        var unknown = names.Except(roles.Select(r => r.Name)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("roles", $"unknown roles: {string.Join(", ", unknown)}");
        if (roles.Any(r => r.Name == "super_admin"))
            throw new ForbiddenException("super_admin is not granted through the API.", "role.not_assignable");
        foreach (var role in roles)
        {
            var grants = await connection.QueryAsync<Grant>(new CommandDefinition(RolesSql.GrantsOfRoleId, new { role.Id }, cancellationToken: cancellationToken));
            foreach (var grant in grants.Where(g => g.Resource is not null))
            {
                Permission.TryParseScope(grant.Scope, out var scope);
                if (caller.ScopeFor(grant.Resource!, grant.Action!) is not { } held || held < scope)
                    throw new ForbiddenException($"Role '{role.Name}' grants {grant.Resource}:{grant.Action}, which the caller does not hold.", "permission.denied");
            }
        }
        return roles.Select(r => r.Id).ToList();
    }
}
