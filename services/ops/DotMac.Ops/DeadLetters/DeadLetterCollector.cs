using DotMac.ServiceDefaults.Data;

namespace DotMac.Ops.DeadLetters;

/// <summary>Sweeps the _error queues into the dead_letters table every few seconds.</summary>
public sealed class DeadLetterCollector(DeadLetterStore store, MigrationState migrations, IConfiguration configuration,
    ILogger<DeadLetterCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("DotMac:Ops:DeadLetterSweepInterval", TimeSpan.FromSeconds(5));
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested || migrations.Status != MigrationStatus.Applied)
                continue;
            try
            {
                await store.CollectAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or RabbitMQ.Client.Exceptions.RabbitMQClientException or Npgsql.NpgsqlException
                or TimeoutException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                if (!stoppingToken.IsCancellationRequested)
                    logger.LogWarning("Dead-letter sweep failed, will retry: {Error}", ex.Message);
            }
        }
    }
}
