namespace DotMac.Skeleton.Data;

static class TenantsSql
{
    // A plain insert on purpose: the inbox makes a redelivered TenantCreated a no-op, so a second insert of one
    // tenant would be a bug worth failing on, not something to paper over with "on conflict".
    public const string Insert = """
        insert into tenants (id, slug, name, created_at) values (@Id, @Slug, @Name, @CreatedAt)
        """;
}
