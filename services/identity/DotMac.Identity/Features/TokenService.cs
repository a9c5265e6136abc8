using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Tokens;
using DotMac.ServiceDefaults.Auth;
using Npgsql;

namespace DotMac.Identity.Features;

/// <summary>Turns a verified staff user, portal account or API client into an access token (and a refresh token).</summary>
public sealed class TokenService(NpgsqlDataSource db, AccessTokenIssuer access, RefreshTokens refresh, PasswordCheck passwords)
{
    public async Task<TokenResponse> ForStaffAsync(Guid userId, Guid? tenantId, Guid? family, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var grants = (await connection.QueryAsync<Grant>(new CommandDefinition(RolesSql.GrantsOfUser, new { UserId = userId }, cancellationToken: cancellationToken))).ToList();
        var plan = await PlanAsync(connection, tenantId, cancellationToken);
        var subject = new TokenSubject(userId, CallerKind.Staff, tenantId, null, Roles(grants), Permissions(grants, tenantId), plan);
        return await IssueAsync(subject, "staff", family, cancellationToken);
    }

    public async Task<TokenResponse> ForCustomerAsync(Guid accountId, Guid tenantId, Guid customerId, Guid? family, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var grants = (await connection.QueryAsync<Grant>(new CommandDefinition(RolesSql.GrantsOfRole, new { Name = "customer" }, cancellationToken: cancellationToken))).ToList();
        var plan = await PlanAsync(connection, tenantId, cancellationToken);
        var subject = new TokenSubject(accountId, CallerKind.Customer, tenantId, customerId, Roles(grants), Permissions(grants, tenantId), plan);
        return await IssueAsync(subject, "customer", family, cancellationToken);
    }

    /// <summary>Client credentials: no refresh token (the client simply asks again), tenant-wide permissions of its scopes.</summary>
    public async Task<TokenResponse> ForClientAsync(ApiClientRow client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, client.TenantId, cancellationToken);
        var permissions = scopes.Select(ClientScopes.ToPermission).ToList();
        var subject = new TokenSubject(client.Id, CallerKind.Client, client.TenantId, null, [], permissions, plan, client.ClientId, scopes);
        var token = await access.IssueAsync(subject, cancellationToken);
        return new TokenResponse(token, "Bearer", (int)access.Lifetime.TotalSeconds, null, string.Join(' ', scopes));
    }

    /// <summary>Rotates a refresh token: the holder must still be allowed in (not disabled, locked or due a password change).</summary>
    public async Task<TokenResponse> RefreshAsync(string raw, CancellationToken cancellationToken)
    {
        var spent = await refresh.RedeemAsync(raw, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var kind = spent.SubjectKind == "staff" ? CredentialKind.Staff : CredentialKind.Portal;
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(kind.ById, new { Id = spent.SubjectId }, cancellationToken: cancellationToken));
        if (row is null || row.Status != "active" || row.LockedUntil > DateTime.UtcNow)
            throw new UnauthenticatedException("The account can no longer log in.", "invalid_grant");
        passwords.EnsureNoChangeDue(row);
        if (spent.SubjectKind == "staff")
            return await ForStaffAsync(row.Id, row.TenantId, spent.FamilyId, cancellationToken);
        var customerId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(CustomersSql.CustomerOfAccount, new { AccountId = row.Id }, cancellationToken: cancellationToken));
        return await ForCustomerAsync(row.Id, row.TenantId!.Value, customerId, spent.FamilyId, cancellationToken);
    }

    async Task<TokenResponse> IssueAsync(TokenSubject subject, string kind, Guid? family, CancellationToken cancellationToken)
    {
        var token = await access.IssueAsync(subject, cancellationToken);
        var refreshToken = await refresh.IssueAsync(kind, subject.Id, subject.TenantId, family, cancellationToken);
        return new TokenResponse(token, "Bearer", (int)access.Lifetime.TotalSeconds, refreshToken, null);
    }

    static async Task<string?> PlanAsync(NpgsqlConnection connection, Guid? tenantId, CancellationToken cancellationToken) =>
        tenantId is null ? null : (await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.Find, new { Id = tenantId }, cancellationToken: cancellationToken)))?.Plan;

    static List<string> Roles(IEnumerable<Grant> grants) => grants.Select(g => g.Role).Distinct().Order(StringComparer.Ordinal).ToList();

    // A tenant's user never holds more than tenant scope, whatever a role says: global scope is for platform staff.
    static List<Permission> Permissions(IEnumerable<Grant> grants, Guid? tenantId) => grants
        .Where(g => g.Resource is not null && g.Action is not null && Permission.TryParseScope(g.Scope, out _))
        .Select(g =>
        {
            Permission.TryParseScope(g.Scope, out var scope);
            if (tenantId is not null && scope == PermissionScope.Global)
                scope = PermissionScope.Tenant;
            return new Permission(g.Resource!, g.Action!, scope);
        })
        .GroupBy(p => (p.Resource, p.Action))
        .Select(g => g.MaxBy(p => p.Scope)!)
        .ToList();
}
