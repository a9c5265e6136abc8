using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DotMac.ServiceDefaults.Data;

/// <summary>
/// Runs the migrations before the rest of the service starts. An unreachable database is waited for in the
/// background (the service starts, unhealthy); a failing script stops the attempts, names the script in the log
/// and keeps /health unhealthy until a fixed build is deployed.
/// </summary>
public sealed class MigrationHostedService(MigrationRunner runner, MigrationState state, ILogger<MigrationHostedService> logger) : BackgroundService
{
    static readonly TimeSpan FirstAttemptBudget = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt happens inside start-up so consumers begin only on a migrated schema; an unreachable
        // database is waited for at most FirstAttemptBudget here, the rest in the background.
        if (await TryOnceAsync(cancellationToken, FirstAttemptBudget) is not null)
            await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryOnceAsync(stoppingToken, connectTimeout: null) is null)
                return;
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
        }
    }

    /// <summary>Null when done (applied or failed for good); the transient error otherwise.</summary>
    async Task<Exception?> TryOnceAsync(CancellationToken cancellationToken, TimeSpan? connectTimeout)
    {
        try
        {
            await runner.RunAsync(cancellationToken, connectTimeout);
            return null;
        }
        catch (MigrationFailedException ex)
        {
            state.Failed(ex.Script, ex.Message);
            logger.LogCritical(ex, "{Message}. The service stays unhealthy until the script is fixed", ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            state.Waiting(ex.Message);
            logger.LogWarning("Database not reachable yet, migrations will be retried: {Error}", ex.Message);
            return ex;
        }
    }
}
