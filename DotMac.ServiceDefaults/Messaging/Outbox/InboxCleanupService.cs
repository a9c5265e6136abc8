using Dapper;
using DotMac.ServiceDefaults.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Retention: forgets handled message ids older than the duplicate-detection window (in small batches, so it never
/// holds long locks) and drops bus-outbox rows whose time-to-live passed before they could be sent.
/// </summary>
public sealed class InboxCleanupService(NpgsqlDataSource dataSource, MigrationState migrations, IOptions<OutboxOptions> options,
    ILogger<InboxCleanupService> logger) : BackgroundService
{
    const int BatchSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CleanupInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested || migrations.Status != MigrationStatus.Applied)
                continue;
            try
            {
                var removed = await CleanupAsync(options.Value.InboxRetention, stoppingToken);
                if (removed > 0)
                    logger.LogInformation("Inbox retention removed {Count} handled message ids", removed);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Inbox retention failed, will retry: {Error}", ex.Message);
            }
        }
    }

    public async Task<int> CleanupAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var before = DateTime.UtcNow - retention;
        var total = 0;
        int removed;
        do
        {
            removed = await connection.ExecuteAsync(new CommandDefinition(OutboxSql.CleanupInbox, new { before, limit = BatchSize }, cancellationToken: cancellationToken));
            total += removed;
        }
        while (removed == BatchSize);
        var expired = await connection.ExecuteAsync(new CommandDefinition(OutboxSql.ExpiredOutbox, cancellationToken: cancellationToken));
        if (expired > 0)
            logger.LogWarning("Dropped {Count} outbox messages whose time-to-live passed before delivery", expired);
        return total;
    }
}
