namespace DotMac.Identity.Data;

static class ClientsSql
{
    public const string Insert = """
        insert into api_clients (id, tenant_id, client_id, name, secret_hash, scopes)
        values (@Id, @TenantId, @ClientId, @Name, @SecretHash, @Scopes)
        """;

    public const string FindByClientId = """
        select id, tenant_id as tenantid, client_id as clientid, name, secret_hash as secrethash, array_to_string(scopes, ' ') as scopes, status, created_at as createdat
        from api_clients where client_id = @ClientId
        """;

    public const string List = """
        select id, tenant_id as tenantid, client_id as clientid, name, secret_hash as secrethash, array_to_string(scopes, ' ') as scopes, status, created_at as createdat
        from api_clients where tenant_id = @TenantId order by created_at, id
        """;

    public const string Revoke = "update api_clients set status = 'revoked' where id = @Id and tenant_id = @TenantId";
}
