using System.Text.RegularExpressions;
using Dapper;
using DotMac.Identity.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Identity.Apis;

/// <summary>
/// Roles: the built-in ones and the caller's tenant's own.
///   GET  /api/v1/roles
///   POST /api/v1/roles   a custom role of the tenant; permissions "resource:action:scope", scope own or tenant
/// </summary>
public static partial class RolesApi
{
    public sealed record CreateRole(string Name, string Description, IReadOnlyList<string> Permissions);
    public sealed record Role(Guid Id, Guid? TenantId, string Name, string Description, bool BuiltIn, IReadOnlyList<string> Permissions);

    sealed record RoleRow(Guid Id, Guid? TenantId, string Name, string Description, bool BuiltIn, string Permissions);

    public static void MapRolesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/roles").WithTags("roles");
        group.MapGet("/", List).WithSummary("List roles (built-in and the tenant's own) with their permissions").RequirePermission("roles", "read");
        group.MapPost("/", Create).WithSummary("Create a role of the tenant's own").RequirePermission("roles", "write");
    }

    static async Task<Ok<List<Role>>> List(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RoleRow>(new CommandDefinition(RolesSql.Visible, new { caller.TenantId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(rows.Select(r => new Role(r.Id, r.TenantId, r.Name, r.Description, r.BuiltIn,
            r.Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList());
    }

    static async Task<Created<Role>> Create(CreateRole body, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        if (!RoleName().IsMatch(body.Name))
            throw new ValidationFailedException("name", "2 to 63 characters: lower-case letters, digits and underscores, starting with a letter");
        var permissions = new List<Permission>();
        foreach (var text in body.Permissions)
        {
            if (!Permission.TryParse(text, out var permission) || permission.Scope == PermissionScope.Global)
                throw new ValidationFailedException("permissions", $"'{text}' is not resource:action:scope with scope own or tenant");
            if (caller.ScopeFor(permission.Resource, permission.Action) is not { } held || held < permission.Scope)
                throw new ForbiddenException($"The caller does not hold {text} and cannot grant it.", "permission.denied");
            permissions.Add(permission);
        }
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(RolesSql.Insert, new { Id = id, TenantId = tenantId, body.Name, body.Description }, tx, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException($"A role named '{body.Name}' exists.", "role.name_taken");
        }
        foreach (var p in permissions.DistinctBy(p => (p.Resource, p.Action)))
            await connection.ExecuteAsync(new CommandDefinition(RolesSql.InsertPermission,
                new { RoleId = id, p.Resource, p.Action, Scope = Permission.ScopeName(p.Scope) }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/roles/{id}", new Role(id, tenantId, body.Name, body.Description, false, permissions.Select(p => p.ToString()).ToList()));
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{1,62}$")]
    private static partial Regex RoleName();
}
