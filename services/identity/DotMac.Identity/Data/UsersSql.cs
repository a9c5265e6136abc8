namespace DotMac.Identity.Data;

static class UsersSql
{
    public const string SuperAdminExists = """
        select exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                       where r.name = 'super_admin' and r.tenant_id is null)
        """;

    public const string Insert = """
        insert into users (id, tenant_id, email, display_name, status, password_hash, must_change_password, password_changed_at)
        values (@Id, @TenantId, @Email, @DisplayName, 'active', @PasswordHash, @MustChangePassword, @Now)
        on conflict do nothing
        """;

    private const string Columns = """
        u.id, u.tenant_id as tenantid, u.email, u.display_name as displayname, u.status, u.created_at as createdat,
        coalesce((select string_agg(r.name, ' ' order by r.name) from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id), '') as roles
        """;

    public const string Find = $"select {Columns} from users u where u.id = @Id and u.tenant_id = @TenantId";

    public const string FindSelf = $"select {Columns} from users u where u.id = @Id";

    public const string Page = $"""
        select {Columns} from users u
        where u.tenant_id = @TenantId and (u.created_at, u.id) > (@AfterCreatedAt, @AfterId)
        order by u.created_at, u.id limit @Limit
        """;

    public const string SetStatus = "update users set status = @Status, updated_at = now() where id = @Id and tenant_id = @TenantId";
}
