namespace DotMac.Identity.Keys;

/// <summary>One row of signing_keys (times are UTC DateTime: what Npgsql reads timestamptz as).</summary>
public sealed record SigningKeyRow(
    string Kid,
    string Algorithm,
    byte[] PublicKey,
    byte[] PrivateKeyEncrypted,
    DateTime CreatedAt,
    DateTime ActivatesAt,
    DateTime? RetiresAt,
    DateTime? ExpiresAt);
