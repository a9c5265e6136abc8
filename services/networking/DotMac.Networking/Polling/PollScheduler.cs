using System.Collections.Concurrent;
using Dapper;
using DotMac.Networking.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Polling;

/// <summary>
/// Starts each device's poll when it is due (its own interval), at most MaxConcurrentPolls at once, and never a second
/// poll of a device whose previous one is still running: in-flight devices are excluded from the claim and a claimed
/// device's next_poll_at moves on before its poll starts.
/// </summary>
internal sealed class PollScheduler(NpgsqlDataSource db, DevicePoller poller, IOptions<PollingOptions> options, ILogger<PollScheduler> logger) : BackgroundService
{
    readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    /// <summary>Devices being polled right now (for tests and diagnostics).</summary>
    public int InFlight => _inFlight.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return;
        using var slots = new SemaphoreSlim(Math.Max(1, settings.MaxConcurrentPolls));
        using var timer = new PeriodicTimer(settings.Tick);
        do
        {
            try
            {
                var free = slots.CurrentCount;
                if (free == 0)
                    continue;
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                var due = await connection.QueryAsync<DeviceRow>(new CommandDefinition(DeviceSql.ClaimDue,
                    new { Busy = _inFlight.Keys.ToArray(), Limit = free }, cancellationToken: stoppingToken));
                foreach (var device in due)
                {
                    await slots.WaitAsync(stoppingToken);
                    // Registered before it starts, so its removal at the end can never come first.
                    var poll = new Task<Task>(() => RunAsync(device, slots, stoppingToken));
                    _inFlight[device.Id] = poll.Unwrap();
                    poll.Start(TaskScheduler.Default);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not claim due devices; trying again next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    async Task RunAsync(DeviceRow device, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await poller.PollAsync(device, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogWarning(e, "Polling device {Device} failed", device.Id);
        }
        finally
        {
            _inFlight.TryRemove(device.Id, out _);
            slots.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
