using System.Diagnostics;
using System.Globalization;
using System.Text;
using DotMac.AppHost.Infrastructure;
using DotMac.Networking.Polling;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DotMac.Bench;

/// <summary>
/// ingest: interface samples per second into the partitioned interface_samples table through the service's binary
/// COPY (SampleWriter), against psql's \copy of the same rows (CSV) into the same table, same run. Each side runs
/// twice on an emptied table; the better run counts. Goal: 300,000 rows/s and at least 0.8x psql.
/// </summary>
public static class IngestBenchmark
{
    const int Interfaces = 10_000;
    const int Polls = 100;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider((category, _, line) => Console.WriteLine($"[{category}] {line}"))));
        await using var server = await PostgresServer.AcquireAsync(StateDirectory.Resolve(root), loggers.CreateLogger("postgres"),
            Environment.GetEnvironmentVariable("ConnectionStrings__postgres"));
        var database = "bench_ingest_" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateDatabaseIfMissingAsync(database);
        try
        {
            var connectionString = server.ConnectionStringFor(database);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await CreateSchemaAsync(connection);
            var samples = Samples(DateTimeOffset.UtcNow.Date.AddHours(1));
            var csv = Path.Combine(Path.GetTempPath(), $"{database}.csv");
            await File.WriteAllTextAsync(csv, Csv(samples));
            Console.WriteLine($"{samples.Length:N0} rows ({Interfaces:N0} interfaces x {Polls} polls) into a day partition of interface_samples");

            var ours = new List<double>();
            var theirs = new List<double>();
            try
            {
                for (var run = 0; run < 2; run++)
                {
                    ours.Add(await TimeAsync(connection, async () => await SampleWriter.WriteAsync(connection, samples, CancellationToken.None)));
                    theirs.Add(await TimeAsync(connection, () => PsqlCopyAsync(connectionString, csv)));
                    Console.WriteLine($"run {run + 1}: binary COPY {samples.Length / ours[^1]:N0} rows/s, psql \\copy {samples.Length / theirs[^1]:N0} rows/s");
                }
            }
            finally
            {
                File.Delete(csv);
            }
            var rate = samples.Length / ours.Min();
            var peer = samples.Length / theirs.Min();
            Console.WriteLine($"binary COPY {rate:N0} rows/s vs psql \\copy {peer:N0} rows/s = {rate / peer:0.00}x");
            return new BenchResult("ingest", "rows_per_second", Math.Round(rate), "rows/s", 300_000, "psql \\copy (CSV), same rows, same table",
                Math.Round(peer), Math.Round(rate / peer, 2), new Dictionary<string, object>
                {
                    ["rows"] = samples.Length,
                    ["binary_copy_seconds"] = ours.Select(s => Math.Round(s, 3)).ToArray(),
                    ["psql_copy_seconds"] = theirs.Select(s => Math.Round(s, 3)).ToArray(),
                    ["goal_ratio"] = 0.8,
                });
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    // The service's own migrations, in order, as it applies them at start.
    static async Task CreateSchemaAsync(NpgsqlConnection connection)
    {
        var assembly = typeof(SampleWriter).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            await using var command = new NpgsqlCommand(await reader.ReadToEndAsync(), connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var partition = new NpgsqlCommand("select ensure_interface_samples_partition(current_date)", connection);
        await partition.ExecuteNonQueryAsync();
    }

    static InterfaceSample[] Samples(DateTimeOffset start)
    {
        var tenant = Guid.CreateVersion7();
        var interfaces = Enumerable.Range(0, Interfaces).Select(_ => Guid.CreateVersion7()).ToArray();
        var random = new Random(42);
        var samples = new InterfaceSample[Interfaces * Polls];
        for (var poll = 0; poll < Polls; poll++)
        {
            for (var i = 0; i < Interfaces; i++)
            {
                var bps = random.NextDouble() * 1e9;
                samples[poll * Interfaces + i] = new InterfaceSample(tenant, interfaces[i], start.AddSeconds(30 * poll), bps, bps / 3, (long)(bps * 30 / 8), (long)(bps * 10 / 8), 30f);
            }
        }
        return samples;
    }

    static string Csv(InterfaceSample[] samples)
    {
        var csv = new StringBuilder(samples.Length * 140);
        foreach (var s in samples)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.TenantId},{s.InterfaceId},{s.SampledAt:O},{s.InBps:R},{s.OutBps:R},{s.InOctets},{s.OutOctets},{s.IntervalSeconds:R}\n");
        }
        return csv.ToString();
    }

    static async Task<double> TimeAsync(NpgsqlConnection connection, Func<Task> load)
    {
        await using (var truncate = new NpgsqlCommand("truncate interface_samples", connection))
            await truncate.ExecuteNonQueryAsync();
        var clock = Stopwatch.StartNew();
        await load();
        return clock.Elapsed.TotalSeconds;
    }

    static async Task PsqlCopyAsync(string connectionString, string csv)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var result = await Shell.RunAsync("psql", ["-h", c.Host!, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username!, "-d", c.Database!, "-v", "ON_ERROR_STOP=1", "-c",
            $"\\copy interface_samples (tenant_id, interface_id, sampled_at, in_bps, out_bps, in_octets, out_octets, interval_seconds) from '{csv}' with (format csv)"],
            TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["PGPASSWORD"] = c.Password ?? "" });
        if (!result.Succeeded)
            throw new InvalidOperationException($"psql \\copy failed: {result.Describe()}");
    }
}
