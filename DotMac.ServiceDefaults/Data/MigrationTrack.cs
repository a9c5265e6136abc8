using System.Text.RegularExpressions;

namespace DotMac.ServiceDefaults.Data;

/// <summary>
/// A numbered sequence of scripts with its own history table. A service's database holds two: DotMac's shared
/// messaging tables (outbox, inbox) in schema "messaging", and the service's own scripts in public.schema_migrations.
/// Separate histories let both number from 0001 without colliding.
/// </summary>
public sealed partial record MigrationTrack(string Name, string? Schema, string HistoryTable, IReadOnlyList<Migration> Migrations)
{
    public const string ServiceTrackName = "service";

    public bool IsService => Name == ServiceTrackName;

    public static MigrationTrack Service(IReadOnlyList<Migration> migrations) =>
        new(ServiceTrackName, null, "schema_migrations", migrations);

    /// <summary>A shared track stored in its own schema; the name is a fixed identifier, checked here.</summary>
    public static MigrationTrack Shared(string schema, IReadOnlyList<Migration> migrations) =>
        Identifier().IsMatch(schema)
            ? new(schema, schema, $"{schema}.schema_migrations", migrations)
            : throw new ArgumentException($"'{schema}' is not a plain lower-case SQL identifier.", nameof(schema));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
