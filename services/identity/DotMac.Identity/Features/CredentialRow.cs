namespace DotMac.Identity.Features;

/// <summary>The login-relevant columns of a staff user or a portal account.</summary>
public sealed record CredentialRow(
    Guid Id,
    Guid? TenantId,
    string? PasswordHash,
    string Status,
    bool MustChangePassword,
    DateTime? PasswordChangedAt,
    int FailedAttempts,
    DateTime? LockedUntil);
