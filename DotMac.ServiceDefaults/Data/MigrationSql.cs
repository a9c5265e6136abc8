namespace DotMac.ServiceDefaults.Data;

/// <summary>The runner's SQL. Table and schema names come from <see cref="MigrationTrack"/> constants, never from input.</summary>
internal static class MigrationSql
{
    // Advisory locks are per database, so one constant key serialises every instance of one service.
    public const long LockKey = 0x446F744D6163_01; // "DotMac" 01

    public const string Lock = "select pg_advisory_lock(@key)";
    public const string Unlock = "select pg_advisory_unlock(@key)";

    public static string CreateSchema(string schema) => $"create schema if not exists {schema}";

    public static string CreateHistory(string table) => $"""
        create table if not exists {table} (
            version     integer primary key,
            name        text not null,
            checksum    text not null,
            applied_at  timestamptz not null default now(),
            duration_ms integer not null
        )
        """;

    public static string Applied(string table) => $"select version, name, checksum from {table} order by version";

    public static string Record(string table) => $"""
        insert into {table} (version, name, checksum, duration_ms)
        values (@Version, @Name, @Checksum, @DurationMs)
        """;
}
