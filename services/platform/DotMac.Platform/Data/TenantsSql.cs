namespace DotMac.Platform.Data;

static class TenantsSql
{
    private const string Columns = """
        id, slug, name, plan, status, settings::text as settings, settings_version as settingsversion,
        created_at as createdat, updated_at as updatedat
        """;

    public const string Insert = """
        insert into tenants (id, slug, name, plan, settings) values (@Id, @Slug, @Name, @Plan, @Settings::jsonb)
        on conflict (slug) do nothing
        """;

    public const string Find = $"select {Columns} from tenants where id = @Id";

    public const string Page = $"""
        select {Columns} from tenants
        where id > @After and (@OnlyId is null or id = @OnlyId)
        order by id limit @Limit
        """;

    public const string UpdateSettings = $"""
        update tenants set settings = @Settings::jsonb, settings_version = settings_version + 1, updated_at = now()
        where id = @Id and status <> 'closed'
        returning {Columns}
        """;

    public const string UpdatePlan = $"""
        update tenants set plan = @Plan, settings_version = settings_version + 1, updated_at = now()
        where id = @Id and status <> 'closed'
        returning {Columns}
        """;

    public const string Close = $"""
        update tenants set status = 'closed', settings_version = settings_version + 1, updated_at = now()
        where id = @Id and status <> 'closed'
        returning {Columns}
        """;
}
