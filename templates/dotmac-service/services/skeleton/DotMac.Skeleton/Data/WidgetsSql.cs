namespace DotMac.Skeleton.Data;

/// <summary>Every statement on widgets: explicit columns, @parameters, and tenant_id in every where clause.</summary>
static class WidgetsSql
{
    private const string Columns = "id, tenant_id as tenantid, code, name, request_hash as requesthash, created_at as createdat";

    /// <summary>Nothing on a taken code or a used key; the caller then tells which one it was.</summary>
    public const string Insert = """
        insert into widgets (id, tenant_id, code, name, idempotency_key, request_hash)
        values (@Id, @TenantId, @Code, @Name, @IdempotencyKey, @RequestHash)
        on conflict do nothing
        """;

    public const string Find = $"select {Columns} from widgets where tenant_id = @TenantId and id = @Id";

    public const string FindByKey = $"select {Columns} from widgets where tenant_id = @TenantId and idempotency_key = @IdempotencyKey";

    public const string Page = $"""
        select {Columns} from widgets where tenant_id = @TenantId
        order by created_at, id limit @Limit offset @Offset
        """;

    public const string Count = "select count(*) from widgets where tenant_id = @TenantId";
}
