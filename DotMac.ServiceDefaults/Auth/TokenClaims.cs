namespace DotMac.ServiceDefaults.Auth;

/// <summary>The claims of a DotMac access token. Short names: they travel in every request.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tid";
    public const string Kind = "kind";
    public const string Customer = "cid";
    public const string Role = "role";
    public const string Permission = "perm";
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string Plan = "plan";

    /// <summary>The only signing algorithm accepted: ECDSA P-256 with SHA-256.</summary>
    public const string Algorithm = "ES256";

    /// <summary>The header a caller with global scope uses to say which tenant it acts on.</summary>
    public const string TenantHeader = "X-Tenant-Id";
}
