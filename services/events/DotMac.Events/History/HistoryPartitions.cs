using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using DotMac.Events.Data;
using DotMac.ServiceDefaults.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.History;

/// <summary>
/// The history's monthly partitions (by expiry day): made ahead for the longest retention any tenant has, and dropped
/// once their month is over, which is how events leave the history. Runs at start and every
/// <see cref="HistoryOptions.MaintenanceInterval"/>; partition DDL is serialised between instances by an advisory lock.
/// </summary>
internal sealed partial class HistoryPartitions(NpgsqlDataSource dataSource, MigrationState migrations, IOptions<EventsOptions> options,
    ILogger<HistoryPartitions> logger) : BackgroundService
{
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim _requested = new(0, 1);

    /// <summary>Completes once the partitions of this month onwards exist: the history records nothing before.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Asks for the upkeep now (a recording found no partition: a retention longer than what was made ahead). It runs
    /// on its own connection, after the asking transaction rolled back: DDL on the table inside it would wait for itself.
    /// </summary>
    public void Request()
    {
        try
        {
            _requested.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already asked.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.History.MaintenanceInterval;
            if (migrations.Status == MigrationStatus.Applied)
            {
                try
                {
                    await EnsureAsync(0, stoppingToken);
                    _ready.TrySetResult();
                    var dropped = await DropExpiredAsync(stoppingToken);
                    if (dropped.Count > 0)
                        logger.LogInformation("History retention dropped partitions {Partitions}", string.Join(", ", dropped));
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("History partition upkeep failed, will retry: {Error}", e.Message);
                    wait = TimeSpan.FromSeconds(5);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Upkeep must outlive its own bugs: the history records nothing without its partitions.
                    logger.LogError(e, "History partition upkeep failed unexpectedly, will retry");
                    wait = TimeSpan.FromSeconds(5);
                }
            }
            else
            {
                wait = TimeSpan.FromMilliseconds(200);
            }
            try
            {
                await _requested.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Makes every month's partition from this month to the end of the longest retention (at least <paramref name="atLeastDays"/>), plus one month.</summary>
    public async Task<int> EnsureAsync(int atLeastDays, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(HistorySql.LockPartitions, transaction: transaction, cancellationToken: cancellationToken));
        var today = await connection.ExecuteScalarAsync<DateOnly>(new CommandDefinition(HistorySql.Today, transaction: transaction, cancellationToken: cancellationToken));
        var longest = Math.Max(Math.Max(atLeastDays, options.Value.History.DefaultRetentionDays),
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(HistorySql.LongestRetention, transaction: transaction, cancellationToken: cancellationToken)));
        var existing = (await PartitionsAsync(connection, transaction, cancellationToken)).Select(p => p.Month).ToHashSet();
        var created = 0;
        for (var month = FirstOfMonth(today); month <= FirstOfMonth(today.AddDays(longest + 1)).AddMonths(1); month = month.AddMonths(1))
        {
            if (existing.Contains(month))
                continue;
            // Names and bounds are dates this code computed, never input.
            await connection.ExecuteAsync(new CommandDefinition(
                $"create table {NameOf(month)} partition of event_history for values from ('{month:yyyy-MM-dd}') to ('{month.AddMonths(1):yyyy-MM-dd}')",
                transaction: transaction, cancellationToken: cancellationToken));
            created++;
        }
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>Drops every partition whose month is over: each of its rows expired (by its own tenant's retention).</summary>
    public async Task<IReadOnlyList<string>> DropExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(HistorySql.LockPartitions, transaction: transaction, cancellationToken: cancellationToken));
        var thisMonth = FirstOfMonth(await connection.ExecuteScalarAsync<DateOnly>(
            new CommandDefinition(HistorySql.Today, transaction: transaction, cancellationToken: cancellationToken)));
        var dropped = new List<string>();
        foreach (var partition in await PartitionsAsync(connection, transaction, cancellationToken))
        {
            if (partition.Month.AddMonths(1) > thisMonth)
                continue;
            await connection.ExecuteAsync(new CommandDefinition($"drop table {partition.Name}", transaction: transaction, cancellationToken: cancellationToken));
            dropped.Add(partition.Name);
        }
        await transaction.CommitAsync(cancellationToken);
        return dropped;
    }

    static async Task<List<(string Name, DateOnly Month)>> PartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Name, string Bound)>(new CommandDefinition(HistorySql.Partitions, transaction: transaction, cancellationToken: cancellationToken));
        var partitions = new List<(string, DateOnly)>();
        foreach (var (name, _) in rows)
        {
            var match = PartitionName().Match(name);
            if (match.Success)
                partitions.Add((name, DateOnly.ParseExact(match.Groups["month"].Value + "01", "yyyyMMdd", CultureInfo.InvariantCulture)));
        }
        return partitions;
    }

    public static string NameOf(DateOnly month) => $"event_history_p{month:yyyyMM}";

    static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    [GeneratedRegex(@"^event_history_p(?<month>\d{6})$")]
    private static partial Regex PartitionName();
}
