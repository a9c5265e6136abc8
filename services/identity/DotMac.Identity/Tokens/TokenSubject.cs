using DotMac.ServiceDefaults.Auth;

namespace DotMac.Identity.Tokens;

/// <summary>What an access token says about its holder.</summary>
public sealed record TokenSubject(
    Guid Id,
    CallerKind Kind,
    Guid? TenantId,
    Guid? CustomerId,
    IReadOnlyList<string> Roles,
    IReadOnlyList<Permission> Permissions,
    string? Plan,
    string? ClientId = null,
    IReadOnlyList<string>? Scopes = null);
