using System.Diagnostics;
using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Telemetry;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Delivers committed bus-outbox rows to RabbitMQ. Each round claims a batch with FOR UPDATE SKIP LOCKED (so several
/// instances of a service never send one row twice), sends the batch with publisher confirms in flight together,
/// and deletes exactly the confirmed rows in the same transaction. A crash between confirm and commit re-sends the
/// row later with the same MessageId, which the receiving inbox recognises. Woken by LISTEN/NOTIFY at commit, by
/// this process's own commits, and by a polling interval as the fallback.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    MigrationState migrations,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    readonly OutboxOptions _options = options.Value;
    long _backlog;
    double _oldestSeconds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatchEnabled)
        {
            logger.LogWarning("Outbox dispatch is disabled by configuration: committed events stay in messaging.outbox_message");
            return;
        }
        // Observed while this service lives: the meter holds the callbacks.
        DotMacTelemetry.Meter.CreateObservableGauge("dotmac.outbox.backlog", () => Volatile.Read(ref _backlog),
            "{message}", "Bus-outbox messages waiting to be delivered");
        DotMacTelemetry.Meter.CreateObservableGauge("dotmac.outbox.oldest_age", () => Volatile.Read(ref _oldestSeconds),
            "s", "Age of the oldest undelivered bus-outbox message");

        while (migrations.Status != MigrationStatus.Applied)
            await Task.Delay(200, stoppingToken);

        var listening = ListenAsync(stoppingToken);
        // Several loops claim disjoint batches (SKIP LOCKED), so one batch's broker round trips overlap the next one's queries.
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.DispatchLoops)).Select(_ => DispatchLoopAsync(stoppingToken)));
        await listening;
    }

    async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await DispatchBatchAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or MassTransitException)
            {
                failures++;
                logger.LogWarning("Outbox dispatch failed (attempt {Attempt}), retrying: {Error}", failures, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures))), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            if (sent >= _options.BatchSize)
                continue;
            await ((Task)signal.WaitAsync(_options.PollInterval, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends one batch; returns how many rows were delivered (0 when the outbox is empty).</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<StoredMessage>(new CommandDefinition(OutboxSql.ClaimBatch,
            new { limit = _options.BatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            await UpdateBacklogAsync(connection, cancellationToken);
            return 0;
        }

        var results = await Task.WhenAll(rows.Select(row => SendAsync(row, cancellationToken)));
        var sent = rows.Where((_, i) => results[i]).Select(r => r.SequenceNumber).ToArray();
        if (sent.Length > 0)
            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.DeleteSent, new { sent }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        var now = DateTime.UtcNow;
        foreach (var row in rows.Where((_, i) => results[i]))
            OutboxMetrics.Lag.Record((now - row.SentTime).TotalSeconds);
        OutboxMetrics.Dispatched.Add(sent.Length);
        if (sent.Length < rows.Count)
            throw new TimeoutException($"{rows.Count - sent.Length} of {rows.Count} outbox messages were not confirmed by the broker; they stay for the next round.");
        if (rows.Count < _options.BatchSize)
            await UpdateBacklogAsync(connection, cancellationToken);
        return sent.Length;
    }

    async Task<bool> SendAsync(StoredMessage row, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = DotMacTelemetry.Source.StartActivity("outbox deliver", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        activity?.SetTag("messaging.destination.name", row.DestinationAddress);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            // WaitAsync as well as the token: a send stuck inside the transport (a broker restart caught at the wrong
            // moment) must not hang the dispatch loop; the row stays and goes again next round.
            var endpoint = await bus.GetSendEndpoint(row.Destination).WaitAsync(timeout.Token);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(row, row.Destination), timeout.Token).WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            OutboxMetrics.DispatchFailures.Add(1);
            logger.LogDebug(ex, "Outbox message {MessageId} to {Destination} not sent", row.MessageId, row.DestinationAddress);
            return false;
        }
    }

    async Task UpdateBacklogAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (count, oldest) = await connection.QuerySingleAsync<(long, double?)>(new CommandDefinition(OutboxSql.Backlog, cancellationToken: cancellationToken));
        Volatile.Write(ref _backlog, count);
        Volatile.Write(ref _oldestSeconds, oldest ?? 0);
    }

    /// <summary>Holds a LISTEN connection so commits in other instances wake this one; reconnects when it drops.</summary>
    async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                await connection.ExecuteAsync(OutboxSql.Listen);
                signal.Notify(); // whatever committed while no one listened
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                logger.LogDebug("Outbox LISTEN connection lost, reconnecting: {Error}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
