namespace DotMac.Identity.Data;

static class KeysSql
{
    public const string Lock = "lock table signing_keys in exclusive mode";

    public const string All = """
        select kid, algorithm, public_key as publickey, private_key_encrypted as privatekeyencrypted,
               created_at as createdat, activates_at as activatesat, retires_at as retiresat, expires_at as expiresat
        from signing_keys order by activates_at
        """;

    public const string Insert = """
        insert into signing_keys (kid, algorithm, public_key, private_key_encrypted, created_at, activates_at)
        values (@Kid, @Algorithm, @PublicKey, @PrivateKeyEncrypted, @CreatedAt, @ActivatesAt)
        """;

    public const string Retire = "update signing_keys set retires_at = @RetiresAt, expires_at = @ExpiresAt where kid = @Kid";
}
