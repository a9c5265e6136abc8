using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Features;
using DotMac.Identity.Tokens;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Identity.Apis;

/// <summary>
/// Logins and tokens; anonymous by nature (the gateway says so per route and rate-limits them per IP).
///   POST /api/v1/auth/login             staff: email + password (+ tenantId; none for platform staff)
///   POST /api/v1/auth/portal/login      customer: Portal ID + password
///   POST /api/v1/auth/refresh           rotate a refresh token
///   POST /api/v1/auth/password          staff: change password (also when it is due)
///   POST /api/v1/auth/portal/activate   customer: replace the initial password, pending -> active
///   POST /api/v1/auth/token             OAuth 2.0 client credentials (form-encoded)
/// </summary>
public static class AuthApi
{
    /// <summary>A tenant's staff name their tenant by id or by its slug (what the console's login asks for); platform staff name none.</summary>
    public sealed record StaffLogin(string Email, string Password, Guid? TenantId = null, string? Tenant = null);
    public sealed record PortalLogin(string PortalId, string Password);
    public sealed record Refresh(string RefreshToken);
    public sealed record StaffPasswordChange(string Email, string CurrentPassword, string NewPassword, Guid? TenantId = null, string? Tenant = null);
    public sealed record PortalPasswordChange(string PortalId, string CurrentPassword, string NewPassword);

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").AllowAnonymous().WithTags("auth");
        group.MapPost("/login", LoginStaff).WithSummary("Staff login: an access token and a refresh token");
        group.MapPost("/portal/login", LoginPortal).WithSummary("Customer portal login");
        group.MapPost("/refresh", RefreshTokens).WithSummary("Exchange a refresh token for new tokens (rotation)");
        group.MapPost("/password", ChangeStaffPassword).WithSummary("Change a staff member's password");
        group.MapPost("/portal/activate", ActivatePortal).WithSummary("Activate a portal account with its initial password and set a new one");
        group.MapPost("/token", ClientCredentials).DisableAntiforgery()
            .Accepts<ClientCredentialsForm>("application/x-www-form-urlencoded")
            .WithSummary("OAuth 2.0 client credentials (RFC 6749 §4.4): an API client's id and secret, in the form or as HTTP Basic, for an access token.");
        return group;
    }

    static async Task<Ok<TokenResponse>> LoginStaff(StaffLogin body, NpgsqlDataSource db, PasswordCheck passwords, TokenService tokens, CancellationToken cancellationToken)
    {
        var row = await FindAsync(db, CredentialsSql.StaffByEmail, new { body.Email, body.TenantId, Tenant = string.IsNullOrWhiteSpace(body.Tenant) ? null : body.Tenant.Trim() }, cancellationToken);
        row = await passwords.VerifyAsync(CredentialKind.Staff, row, body.Password, cancellationToken);
        passwords.EnsureNoChangeDue(row);
        return TypedResults.Ok(await tokens.ForStaffAsync(row.Id, row.TenantId, null, cancellationToken));
    }

    static async Task<Ok<TokenResponse>> LoginPortal(PortalLogin body, NpgsqlDataSource db, PasswordCheck passwords, TokenService tokens, CancellationToken cancellationToken)
    {
        var portalId = PortalIds.Normalize(body.PortalId);
        var row = await FindAsync(db, CredentialsSql.PortalByPortalId, new { PortalId = portalId }, cancellationToken);
        row = await passwords.VerifyAsync(CredentialKind.Portal, row, body.Password, cancellationToken);
        passwords.EnsureNoChangeDue(row);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var customerId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(CustomersSql.CustomerOfAccount, new { AccountId = row.Id }, cancellationToken: cancellationToken));
        return TypedResults.Ok(await tokens.ForCustomerAsync(row.Id, row.TenantId!.Value, customerId, null, cancellationToken));
    }

    static async Task<Ok<TokenResponse>> RefreshTokens(Refresh body, TokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.RefreshAsync(body.RefreshToken, cancellationToken));

    static async Task<NoContent> ChangeStaffPassword(StaffPasswordChange body, NpgsqlDataSource db, PasswordCheck passwords,
        Tokens.RefreshTokens refresh, TimeProvider time, CancellationToken cancellationToken)
    {
        var row = await FindAsync(db, CredentialsSql.StaffByEmail, new { body.Email, body.TenantId, Tenant = string.IsNullOrWhiteSpace(body.Tenant) ? null : body.Tenant.Trim() }, cancellationToken);
        row = await passwords.VerifyAsync(CredentialKind.Staff, row, body.CurrentPassword, cancellationToken);
        PasswordPolicy.Validate("newPassword", body.NewPassword, body.Email);
        await SetPasswordAsync(db, CredentialKind.Staff, row, body.CurrentPassword, body.NewPassword, time, cancellationToken);
        await refresh.RevokeAllAsync(row.Id, cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<NoContent> ActivatePortal(PortalPasswordChange body, NpgsqlDataSource db, PasswordCheck passwords,
        Tokens.RefreshTokens refresh, IdentityEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        var portalId = PortalIds.Normalize(body.PortalId);
        var row = await FindAsync(db, CredentialsSql.PortalByPortalId, new { PortalId = portalId }, cancellationToken);
        row = await passwords.VerifyAsync(CredentialKind.Portal, row, body.CurrentPassword, cancellationToken);
        PasswordPolicy.Validate("newPassword", body.NewPassword, portalId);
        var previous = await SetPasswordAsync(db, CredentialKind.Portal, row, body.CurrentPassword, body.NewPassword, time, cancellationToken);
        await refresh.RevokeAllAsync(row.Id, cancellationToken);
        if (previous == "pending")
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var customerId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(CustomersSql.CustomerOfAccount, new { AccountId = row.Id }, cancellationToken: cancellationToken));
            await events.PortalAccountActivatedAsync(row.TenantId!.Value, customerId, portalId, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    static async Task<Ok<TokenResponse>> ClientCredentials(HttpRequest request, NpgsqlDataSource db, TokenService tokens, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
            throw new ValidationFailedException("grant_type", "The token endpoint takes application/x-www-form-urlencoded (RFC 6749).");
        var form = await request.ReadFormAsync(cancellationToken);
        if (form["grant_type"] != "client_credentials")
            throw new ValidationFailedException("grant_type", "Only client_credentials is supported here; users log in at /auth/login.");
        var (clientId, secret) = ClientAuthentication(request, form);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var client = await connection.QuerySingleOrDefaultAsync<ApiClientRow>(new CommandDefinition(ClientsSql.FindByClientId, new { ClientId = clientId }, cancellationToken: cancellationToken));
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var expected = client is null ? new byte[32] : Convert.FromHexString(client.SecretHash);
        if (!CryptographicOperations.FixedTimeEquals(presented, expected) || client is null || client.Status != "active")
            throw new UnauthenticatedException("The client id or secret is wrong.", "invalid_client");
        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var scopes = requested.Length == 0 ? client.ScopeList : requested;
        var missing = scopes.Except(client.ScopeList, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new ForbiddenException($"The client is not granted: {string.Join(' ', missing)}.", "invalid_scope");
        return TypedResults.Ok(await tokens.ForClientAsync(client, scopes.Distinct(StringComparer.Ordinal).ToList(), cancellationToken));
    }

    /// <summary>The form's fields as the token endpoint takes them, for its documentation.</summary>
    public sealed record ClientCredentialsForm(
        [property: JsonPropertyName("grant_type")] string GrantType,
        [property: JsonPropertyName("client_id")] string? ClientId,
        [property: JsonPropertyName("client_secret")] string? ClientSecret,
        [property: JsonPropertyName("scope")] string? Scope);

    /// <summary>The client's id and secret: HTTP Basic (RFC 6749 §2.3.1, what OAuth clients send by default) or the form's fields.</summary>
    static (string ClientId, string Secret) ClientAuthentication(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                throw new UnauthenticatedException("The Basic credentials are not base64.", "invalid_client");
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                throw new UnauthenticatedException("The Basic credentials have no ':'.", "invalid_client");
            return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }
        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    static async Task<CredentialRow?> FindAsync(NpgsqlDataSource db, string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    static async Task<string> SetPasswordAsync(NpgsqlDataSource db, CredentialKind kind, CredentialRow row, string current, string next, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.Equals(current, next, StringComparison.Ordinal))
            throw new ValidationFailedException("newPassword", "must differ from the current password");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var previous = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(kind.SetPassword,
            new { row.Id, Now = time.GetUtcNow(), PasswordHash = PasswordCheck.Hash(next) }, cancellationToken: cancellationToken));
        return previous ?? row.Status;
    }
}
