using System.Diagnostics;
using Dapper;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DotMac.ServiceDefaults.Data;

/// <summary>
/// Applies numbered scripts once each, in order, under a PostgreSQL advisory lock so that instances starting together
/// take turns; each script and its history row commit together. A script already applied whose text changed is
/// refused: the schema would no longer be what the code expects. Tracks run in order, each with its own history
/// table: DotMac's shared messaging tables first, then the service's own scripts.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, IReadOnlyList<MigrationTrack> tracks, MigrationState state, ILogger<MigrationRunner> logger)
{
    sealed record AppliedRow(int Version, string Name, string Checksum);

    /// <summary>Only the service's own scripts (no shared tracks).</summary>
    public MigrationRunner(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, MigrationState state, ILogger<MigrationRunner> logger)
        : this(dataSource, [MigrationTrack.Service(migrations)], state, logger)
    {
    }

    /// <param name="cancellationToken">Stops the run (the host is stopping); a script in progress rolls back.</param>
    /// <param name="connectTimeout">How long to wait for the database and the lock; never cuts a script short.</param>
    public async Task RunAsync(CancellationToken cancellationToken, TimeSpan? connectTimeout = null)
    {
        using var activity = DotMacTelemetry.Source.StartActivity("migrations");
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (connectTimeout is { } limit)
            connecting.CancelAfter(limit);
        await using var connection = await dataSource.OpenConnectionAsync(connecting.Token);
        await connection.ExecuteAsync(new CommandDefinition(MigrationSql.Lock, new { key = MigrationSql.LockKey }, cancellationToken: connecting.Token));
        try
        {
            var pending = new List<(MigrationTrack Track, Migration Migration)>();
            foreach (var track in tracks)
            {
                if (track.Schema is not null)
                    await connection.ExecuteAsync(new CommandDefinition(MigrationSql.CreateSchema(track.Schema), cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(MigrationSql.CreateHistory(track.HistoryTable), cancellationToken: cancellationToken));
                var applied = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(MigrationSql.Applied(track.HistoryTable), cancellationToken: cancellationToken)))
                    .ToDictionary(r => r.Version);
                foreach (var migration in track.Migrations)
                {
                    if (applied.TryGetValue(migration.Version, out var row) && row.Checksum != migration.Checksum)
                        throw new MigrationFailedException(migration,
                            $"it was applied on {connection.Database} with a different text (checksum {row.Checksum[..12]}, now {migration.Checksum[..12]}); add a new script instead of editing an applied one");
                }
                pending.AddRange(track.Migrations.Where(m => !applied.ContainsKey(m.Version)).Select(m => (track, m)));
            }

            state.Applying(pending.Count);
            foreach (var (track, migration) in pending)
            {
                await ApplyAsync(connection, track, migration, cancellationToken);
                if (track.IsService)
                    state.Applied(migration.Version);
            }
            var own = tracks.FirstOrDefault(t => t.IsService)?.Migrations ?? [];
            state.Completed(own.Count == 0 ? null : own[^1].Version);
            if (pending.Count > 0)
                logger.LogInformation("Database {Database} is at version {Version} ({Count} applied now)", connection.Database, own.Count == 0 ? 0 : own[^1].Version, pending.Count);
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
                await connection.ExecuteAsync(new CommandDefinition(MigrationSql.Unlock, new { key = MigrationSql.LockKey }, cancellationToken: CancellationToken.None));
        }
    }

    async Task ApplyAsync(NpgsqlConnection connection, MigrationTrack track, Migration migration, CancellationToken cancellationToken)
    {
        logger.LogInformation("Applying migration {Track}/{Script}", track.Name, migration.Script);
        var watch = Stopwatch.StartNew();
        await using var transaction = migration.InTransaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(MigrationSql.Record(track.HistoryTable),
                new { migration.Version, migration.Name, migration.Checksum, DurationMs = (int)watch.ElapsedMilliseconds },
                transaction, cancellationToken: cancellationToken));
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (!ex.IsTransient)
        {
            // A transient error (deadlock, server restarting) is retried by the caller; this script's fault is not.
            throw new MigrationFailedException(migration, $"{ex.SqlState}: {ex.MessageText}" + (ex.Position > 0 ? $" (at character {ex.Position})" : ""), ex);
        }
    }
}

public sealed class MigrationFailedException(Migration migration, string reason, Exception? inner = null)
    : Exception($"Migration {migration.Script} failed: {reason}", inner)
{
    public string Script { get; } = migration.Script;
}
