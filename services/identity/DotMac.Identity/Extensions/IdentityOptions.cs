namespace DotMac.Identity.Extensions;

/// <summary>"DotMac:Identity" in configuration: token lifetimes, key rotation, lockout, secrets' locations.</summary>
public sealed class IdentityOptions
{
    public const string Section = "DotMac:Identity";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new key is published this long before it signs; longer than any validator's JWKS cache.</summary>
    public TimeSpan KeyPublicationLead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A signing key is rotated out automatically after this long.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often an instance re-reads the key table (another instance may have rotated).</summary>
    public TimeSpan KeyReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Base64 of 32 bytes that encrypt the private signing keys; else read from (or generated into)
    /// <see cref="KeyEncryptionKeyFile"/>.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Default: identity/signing-key-encryption.key in the local state folder (.dotmac, git-ignored).</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>Where the first start writes the super admin's generated password. Default: identity/super-admin.txt
    /// in the local state folder.</summary>
    public string? BootstrapPasswordFile { get; set; }

    public string SuperAdminEmail { get; set; } = "admin@dotmac.local";

    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan PasswordLifetime { get; set; } = TimeSpan.FromDays(90);
}
