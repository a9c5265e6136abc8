using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DotMac.ServiceDefaults.Data;

/// <summary>One numbered script: Data/Migrations/NNNN_name.sql embedded in the service's assembly.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>
    /// A script whose first line is this comment runs outside a transaction (CREATE INDEX CONCURRENTLY). It must hold
    /// a single statement: several statements in one command run as one implicit transaction in PostgreSQL.
    /// </summary>
    public const string NoTransactionMarker = "-- dotmac:no-transaction";

    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public bool InTransaction => !Sql.TrimStart().StartsWith(NoTransactionMarker, StringComparison.Ordinal);

    public string Script => $"{Version:D4}_{Name}.sql";

    /// <summary>Reads every embedded "*.Migrations.NNNN_name.sql" of the assembly, in version order.</summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value, reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(m => m.Script))} share version {duplicate.Key}.");
        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
