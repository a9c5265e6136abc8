using System.Security.Cryptography;
using System.Text;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Features;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace DotMac.Identity.Apis;

/// <summary>
/// Partner API clients of the caller's tenant (client credentials):
///   GET    /api/v1/clients
///   POST   /api/v1/clients        the secret is in this answer only
///   DELETE /api/v1/clients/{id}   revoke
/// </summary>
public static class ClientsApi
{
    public sealed record CreateClient(string Name, IReadOnlyList<string> Scopes);
    public sealed record ClientCreated(Guid Id, string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);
    public sealed record ClientInfo(Guid Id, string ClientId, string Name, IReadOnlyList<string> Scopes, string Status, DateTimeOffset CreatedAt);

    public static void MapClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clients").WithTags("clients");
        group.MapGet("/", List).WithSummary("List the tenant's API clients").RequirePermission("clients", "read");
        group.MapPost("/", Create).WithSummary("Create an API client with scopes (the secret is shown once)").RequirePermission("clients", "write");
        group.MapDelete("/{id:guid}", Revoke).WithSummary("Revoke an API client").RequirePermission("clients", "write");
    }

    static async Task<Ok<List<ClientInfo>>> List(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiClientRow>(new CommandDefinition(ClientsSql.List, new { caller.TenantId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(rows.Select(r => new ClientInfo(r.Id, r.ClientId, r.Name, r.ScopeList, r.Status,
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)))).ToList());
    }

    static async Task<Created<ClientCreated>> Create(CreateClient body, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
            throw new ValidationFailedException("name", "must be 1 to 200 characters");
        if (body.Scopes.Count == 0)
            throw new ValidationFailedException("scopes", "must name at least one scope");
        foreach (var scope in body.Scopes)
        {
            if (!ClientScopes.All.Contains(scope))
                throw new ValidationFailedException("scopes", $"'{scope}' is not a scope; known: {string.Join(", ", ClientScopes.All.Order(StringComparer.Ordinal))}");
            var permission = ClientScopes.ToPermission(scope);
            // Nobody hands a partner more than they hold themselves.
            if (caller.ScopeFor(permission.Resource, permission.Action) is not >= PermissionScope.Tenant)
                throw new ForbiddenException($"The caller does not hold '{scope}' tenant-wide and cannot grant it.", "permission.denied");
        }
        var id = Guid.CreateVersion7();
        var clientId = "dmc_" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var scopes = body.Scopes.Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ClientsSql.Insert, new
        {
            Id = id, TenantId = tenantId, ClientId = clientId, body.Name,
            SecretHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), Scopes = scopes,
        }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/clients/{id}", new ClientCreated(id, clientId, secret, scopes));
    }

    static async Task<NoContent> Revoke(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(ClientsSql.Revoke, new { Id = id, caller.TenantId }, cancellationToken: cancellationToken));
        return changed == 0 ? throw new NotFoundException("Client", id) : TypedResults.NoContent();
    }
}
