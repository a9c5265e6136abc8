namespace DotMac.Platform.Data;

/// <summary>A flag as stored, with its overrides as JSON ([{"tenantId":..,"enabled":..}]).</summary>
public sealed class FeatureFlagRow
{
    public string Key { get; init; } = "";
    public string Description { get; init; } = "";
    public bool DefaultEnabled { get; init; }
    public int? RolloutPercent { get; init; }
    public int Version { get; init; }
    public string Overrides { get; init; } = "[]";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

static class FeatureFlagsSql
{
    private const string Columns = """
        f.key, f.description, f.default_enabled, f.rollout_percent, f.version, f.created_at, f.updated_at,
        coalesce((select json_agg(json_build_object('tenantId', o.tenant_id, 'enabled', o.enabled) order by o.tenant_id)
                  from feature_flag_overrides o where o.key = f.key), '[]')::text as overrides
        """;

    public const string All = $"select {Columns} from feature_flags f order by f.key";

    public const string Find = $"select {Columns} from feature_flags f where f.key = @Key";

    /// <summary>The flag locked for a change (overrides change under the flag's lock, so versions follow changes in order).</summary>
    public const string Lock = "select key from feature_flags where key = @Key for update";

    public const string Insert = """
        insert into feature_flags (key, description, default_enabled, rollout_percent, version)
        values (@Key, @Description, @DefaultEnabled, @RolloutPercent, nextval('feature_flag_versions'))
        on conflict (key) do nothing
        """;

    public const string Update = """
        update feature_flags set description = @Description, default_enabled = @DefaultEnabled, rollout_percent = @RolloutPercent,
            version = nextval('feature_flag_versions'), updated_at = now()
        where key = @Key
        """;

    public const string Touch = "update feature_flags set version = nextval('feature_flag_versions'), updated_at = now() where key = @Key";

    public const string SetOverride = """
        insert into feature_flag_overrides (key, tenant_id, enabled) values (@Key, @TenantId, @Enabled)
        on conflict (key, tenant_id) do update set enabled = excluded.enabled, updated_at = now()
        """;

    public const string RemoveOverride = "delete from feature_flag_overrides where key = @Key and tenant_id = @TenantId";

    public const string Delete = "delete from feature_flags where key = @Key returning nextval('feature_flag_versions')::integer";

    public const string TenantExists = "select exists (select 1 from tenants where id = @TenantId)";
}
