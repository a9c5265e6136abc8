namespace DotMac.Identity.Data;

static class RolesSql
{
    public const string GrantsOfUser = """
        select r.name as role, p.resource, p.action, p.scope
        from user_roles ur
        join roles r on r.id = ur.role_id
        left join role_permissions p on p.role_id = r.id
        where ur.user_id = @UserId
        """;

    public const string GrantsOfRole = """
        select r.name as role, p.resource, p.action, p.scope
        from roles r left join role_permissions p on p.role_id = r.id
        where r.name = @Name and r.tenant_id is null
        """;

    public const string GrantsOfRoleId = """
        select r.name as role, p.resource, p.action, p.scope
        from roles r left join role_permissions p on p.role_id = r.id
        where r.id = @Id
        """;

    /// <summary>Built-in roles and the tenant's own; a role of another tenant is not visible.</summary>
    public const string Visible = """
        select r.id, r.tenant_id as tenantid, r.name, r.description, r.built_in as builtin,
               coalesce(string_agg(p.resource || ':' || p.action || ':' || p.scope, ' ' order by p.resource, p.action)
                        filter (where p.resource is not null), '') as permissions
        from roles r left join role_permissions p on p.role_id = r.id
        where r.tenant_id is null or r.tenant_id = @TenantId
        group by r.id order by r.built_in desc, r.name
        """;

    public const string FindVisibleByNames = """
        select id, name, tenant_id as tenantid from roles
        where name = any(@Names) and (tenant_id is null or tenant_id = @TenantId)
        """;

    public const string Insert = """
        insert into roles (id, tenant_id, name, description, built_in) values (@Id, @TenantId, @Name, @Description, false)
        """;

    public const string InsertPermission = """
        insert into role_permissions (role_id, resource, action, scope) values (@RoleId, @Resource, @Action, @Scope)
        """;

    public const string AssignToUser = "insert into user_roles (user_id, role_id) values (@UserId, @RoleId) on conflict do nothing";
}
