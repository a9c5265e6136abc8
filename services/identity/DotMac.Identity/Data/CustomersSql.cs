namespace DotMac.Identity.Data;

static class CustomersSql
{
    public const string CustomerOfAccount = "select customer_id from portal_accounts where id = @AccountId";

    public const string Insert = """
        insert into customers (id, tenant_id, kind, name, email, phone, address, created_by)
        values (@Id, @TenantId, @Kind, @Name, @Email, @Phone, @Address::jsonb, @CreatedBy)
        """;

    public const string InsertPortalAccount = """
        insert into portal_accounts (id, tenant_id, customer_id, portal_id, password_hash)
        values (@Id, @TenantId, @CustomerId, @PortalId, @PasswordHash)
        on conflict (portal_id) do nothing
        """;

    private const string Columns = """
        c.id, c.tenant_id as tenantid, c.kind, c.name, c.email, c.phone, c.address::text as address, c.created_by as createdby,
        c.created_at as createdat, p.portal_id as portalid, p.status as portalstatus
        """;

    // tenant_id in every query; "own" scope adds the creator (resellers) and the customer itself (portal accounts).
    public const string Find = $"""
        select {Columns}
        from customers c left join portal_accounts p on p.customer_id = c.id
        where c.id = @Id and c.tenant_id = @TenantId
          and (@OwnOnly = false or c.created_by = @Caller or c.id = @CallerCustomer)
        """;

    public const string Page = $"""
        select {Columns}
        from customers c left join portal_accounts p on p.customer_id = c.id
        where c.tenant_id = @TenantId
          and (@OwnOnly = false or c.created_by = @Caller or c.id = @CallerCustomer)
          and (@Search::text is null or c.name ilike @Search or c.email ilike @Search or p.portal_id = @Exact::text)
          and (c.created_at, c.id) > (@AfterCreatedAt, @AfterId)
        order by c.created_at, c.id
        limit @Limit
        """;
}
