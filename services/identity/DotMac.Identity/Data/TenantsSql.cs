namespace DotMac.Identity.Data;

static class TenantsSql
{
    public const string Upsert = """
        insert into tenants (id, slug, name, plan, status, updated_at) values (@Id, @Slug, @Name, @Plan, @Status, @Now)
        on conflict (id) do update set slug = excluded.slug, name = excluded.name, plan = excluded.plan,
                                       status = excluded.status, updated_at = excluded.updated_at
        """;

    public const string Update = "update tenants set plan = @Plan, status = @Status, updated_at = @Now where id = @Id";

    public const string Find = "select id, slug, name, plan, status from tenants where id = @Id";
}
