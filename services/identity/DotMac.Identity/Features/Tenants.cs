using Dapper;
using DotMac.Identity.Data;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Identity.Features;

/// <summary>Identity's view of the tenants, from platform's events.</summary>
static class Tenants
{
    /// <summary>The tenant must exist and be active; it may also not have reached identity yet (404, try again).</summary>
    public static async Task RequireActiveAsync(NpgsqlConnection connection, Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.Find, new { Id = tenantId }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Tenant", tenantId);
        if (tenant.Status != "active")
            throw new ConflictException($"Tenant '{tenant.Slug}' is {tenant.Status}.", "tenant.not_active");
    }
}
