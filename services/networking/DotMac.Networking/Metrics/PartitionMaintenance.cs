using Dapper;
using DotMac.Networking.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Metrics;

/// <summary>
/// Keeps interface_samples usable: day partitions from yesterday to PartitionsAheadDays ahead, partitions past the
/// retention dropped, and the 5-minute and 1-hour rollups of the recent past recomputed (idempotent upserts).
/// </summary>
internal sealed class PartitionMaintenance(NpgsqlDataSource db, IOptions<MetricsOptions> options, ILogger<PartitionMaintenance> logger) : BackgroundService
{
    public async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var day = today.AddDays(-1); day <= today.AddDays(settings.PartitionsAheadDays); day = day.AddDays(1))
            await connection.ExecuteAsync(new CommandDefinition(SampleSql.EnsurePartition, new { Day = day.ToDateTime(TimeOnly.MinValue) }, cancellationToken: cancellationToken));

        var cutoff = today.AddDays(-settings.RetentionDays).ToDateTime(TimeOnly.MinValue);
        var expired = await connection.QueryAsync<string>(new CommandDefinition(SampleSql.ExpiredPartitions, new { Cutoff = cutoff }, cancellationToken: cancellationToken));
        foreach (var partition in expired)
        {
            // The name comes from pg_class and matched ^interface_samples_[0-9]{8}$; quoted all the same.
            await connection.ExecuteAsync(new CommandDefinition($"drop table if exists \"{partition}\"", cancellationToken: cancellationToken));
            logger.LogInformation("Dropped {Partition}: older than {Days} days", partition, settings.RetentionDays);
        }

        var from5m = new DateTimeOffset(now.UtcDateTime.AddMinutes(-15), TimeSpan.Zero);
        var from1h = new DateTimeOffset(now.UtcDateTime.AddHours(-2), TimeSpan.Zero);
        await connection.ExecuteAsync(new CommandDefinition(SampleSql.Rollup5m, new { From = Floor(from5m, TimeSpan.FromMinutes(5)), To = now }, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SampleSql.Rollup1h, new { From = Floor(from1h, TimeSpan.FromHours(1)), To = now }, cancellationToken: cancellationToken));
    }

    static DateTimeOffset Floor(DateTimeOffset value, TimeSpan step) => new(value.UtcTicks - value.UtcTicks % step.Ticks, TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval);
        do
        {
            try
            {
                await RunOnceAsync(DateTimeOffset.UtcNow, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Partition maintenance failed; trying again in {Interval}", options.Value.MaintenanceInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
