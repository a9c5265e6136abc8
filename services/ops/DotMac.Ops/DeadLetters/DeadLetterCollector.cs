using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.Ops.DeadLetters;

/// <summary>Sweeps the _error queues into the dead_letters table every few seconds; dotmac.ops.dead_letters is how many are held.</summary>
public sealed class DeadLetterCollector(DeadLetterStore store, MigrationState migrations, IConfiguration configuration,
    ILogger<DeadLetterCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("DotMac:Ops:DeadLetterSweepInterval", TimeSpan.FromSeconds(5));
        long held = -1;
        DotMacTelemetry.Meter.CreateObservableGauge("dotmac.ops.dead_letters",
            () => Volatile.Read(ref held) is var n and >= 0 ? [new Measurement<long>(n)] : Array.Empty<Measurement<long>>(),
            "{message}", "Dead-lettered messages held, neither replayed nor discarded");
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested || migrations.Status != MigrationStatus.Applied)
                continue;
            try
            {
                await store.CollectAsync(stoppingToken);
                Volatile.Write(ref held, (await store.ListAsync(null, 1, 0, stoppingToken)).Total);
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
