namespace DotMac.ServiceDefaults.Data;

internal static class MigrationSql
{
    // Advisory locks are per database, so one constant key serialises every instance of one service.
    public const long LockKey = 0x446F744D6163_01; // "DotMac" 01

    public const string Lock = "select pg_advisory_lock(@key)";
    public const string Unlock = "select pg_advisory_unlock(@key)";

    public const string CreateHistory = """
        create table if not exists schema_migrations (
            version     integer primary key,
            name        text not null,
            checksum    text not null,
            applied_at  timestamptz not null default now(),
            duration_ms integer not null
        )
        """;

    public const string Applied = "select version, name, checksum from schema_migrations order by version";

    public const string Record = """
        insert into schema_migrations (version, name, checksum, duration_ms)
        values (@Version, @Name, @Checksum, @DurationMs)
        """;
}
