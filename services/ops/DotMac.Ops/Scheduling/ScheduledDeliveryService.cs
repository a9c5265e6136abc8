using System.Diagnostics;
using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging.Outbox;
using DotMac.ServiceDefaults.Telemetry;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Npgsql;

namespace DotMac.Ops.Scheduling;

/// <summary>
/// Sends scheduled messages when due. Each round claims due rows with FOR UPDATE SKIP LOCKED (ops may run several
/// instances), sends them with publisher confirms, and in the same transaction deletes one-offs and moves recurring
/// ones to their next time. A crash between confirm and commit sends a firing again with the same MessageId, which
/// the receiving inbox recognises. A cancelled schedule's row is gone, so it cannot fire.
/// </summary>
public sealed class ScheduledDeliveryService(
    NpgsqlDataSource dataSource,
    IBus bus,
    SchedulerSignal signal,
    MigrationState migrations,
    ILogger<ScheduledDeliveryService> logger) : BackgroundService
{
    const int BatchSize = 200;
    static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    long _backlog;

    sealed record DueRow(Guid TokenId, string Destination, string Envelope, DateTime DueAt, string? Cron, string? TimeZone, DateTime? EndAt, int FiredCount,
        string? Origin);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DotMacTelemetry.Meter.CreateObservableGauge("dotmac.scheduler.backlog", () => Volatile.Read(ref _backlog),
            "{message}", "Scheduled messages due and not yet sent");
        while (migrations.Status != MigrationStatus.Applied)
            await Task.Delay(200, stoppingToken);
        logger.LogInformation("Durable scheduler delivering from PostgreSQL (queue {Queue})", DotMac.ServiceDefaults.Messaging.MessagingExtensions.SchedulerQueue);

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                var fired = await DeliverDueAsync(stoppingToken);
                failures = 0;
                sleep = fired >= BatchSize ? TimeSpan.Zero : await SleepUntilNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or MassTransitException or InvalidOperationException)
            {
                failures++;
                logger.LogWarning("Scheduled delivery failed (attempt {Attempt}), retrying: {Error}", failures, ex.Message);
                sleep = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures)));
            }
            if (sleep > TimeSpan.Zero)
                await ((Task)signal.WaitAsync(sleep, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends what is due now; returns how many firings were sent.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(SchedulerSql.ClaimDue, new { limit = BatchSize }, transaction,
            cancellationToken: cancellationToken))).AsList();
        Volatile.Write(ref _backlog, due.Count);
        if (due.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var sent = await Task.WhenAll(due.Select(row => SendAsync(row, cancellationToken)));
        var oneOffs = due.Where((row, i) => sent[i] && row.Cron is null).Select(row => row.TokenId).ToArray();
        if (oneOffs.Length > 0)
            await connection.ExecuteAsync(new CommandDefinition(SchedulerSql.Fired, new { tokenIds = oneOffs }, transaction, cancellationToken: cancellationToken));
        foreach (var row in due.Where((row, i) => sent[i] && row.Cron is not null))
        {
            var next = RecurringSchedules.Next(RecurringSchedules.Parse(row.Cron!, row.TimeZone), DateTime.UtcNow, row.EndAt);
            await connection.ExecuteAsync(next is null
                ? new CommandDefinition(SchedulerSql.Fired, new { tokenIds = new[] { row.TokenId } }, transaction, cancellationToken: cancellationToken)
                : new CommandDefinition(SchedulerSql.Reschedule, new { next, tokenId = row.TokenId }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);

        var count = sent.Count(s => s);
        SchedulerMetrics.Fired.Add(count);
        if (count < due.Count)
            throw new TimeoutException($"{due.Count - count} of {due.Count} due messages were not confirmed by the broker; they fire on the next round.");
        return count;
    }

    async Task<bool> SendAsync(DueRow row, CancellationToken cancellationToken)
    {
        // Delivered in a trace of its own (it is due now, not part of what scheduled it), linked to the trace that scheduled it.
        using var activity = row.Origin is { } origin && ActivityContext.TryParse(origin, null, out var scheduledIn)
            ? DotMacTelemetry.Source.StartActivity("scheduler deliver", ActivityKind.Producer, parentContext: default, links: [new ActivityLink(scheduledIn)])
            : DotMacTelemetry.Source.StartActivity("scheduler deliver", ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", row.Destination);
        var message = new StoredMessage
        {
            MessageId = ScheduledEnvelope.MessageId(row.TokenId, row.Cron is not null, row.DueAt),
            DestinationAddress = row.Destination,
            ContentType = ScheduledEnvelope.ContentType,
            Body = row.Envelope,
            Headers = ScheduledEnvelope.Headers(row.TokenId, row.DueAt),
            SentTime = DateTime.UtcNow,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            var endpoint = await bus.GetSendEndpoint(message.Destination);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.Destination), timeout.Token);
            SchedulerMetrics.Lateness.Record((DateTime.UtcNow - row.DueAt).TotalSeconds);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogWarning("Scheduled message {TokenId} to {Destination} not sent: {Error}", row.TokenId, row.Destination, ex.Message);
            return false;
        }
    }

    async Task<TimeSpan> SleepUntilNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(SchedulerSql.NextDue, cancellationToken: cancellationToken));
        if (next is null)
            return MaxSleep;
        var wait = next.Value.ToUniversalTime() - DateTime.UtcNow;
        return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : wait < MaxSleep ? wait : MaxSleep;
    }
}
