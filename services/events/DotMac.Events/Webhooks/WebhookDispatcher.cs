using System.Collections.Concurrent;
using Dapper;
using DotMac.Contracts.Events;
using DotMac.Events.Data;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.FeatureFlags;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.Webhooks;

/// <summary>
/// Delivers queued webhooks. It leases subscriptions whose queue head is due (so one instance at a time works a
/// subscription, in order) and runs each as a sequence of its own: events oldest first, each POSTed until the partner
/// answers 2xx; a failure holds that subscription's queue until its retry (exponential backoff with jitter) while
/// every other subscription goes on. An instance's leases last while its heartbeat does. After <see cref="WebhookOptions.RetryWindow"/> a delivery is given up
/// (WebhookDeliveryFailed) and the next one proceeds; a subscription failing for <see cref="WebhookOptions.DisableAfter"/>
/// is disabled. Woken by NOTIFY when the history queues deliveries, and it looks every second anyway.
/// </summary>
internal sealed class WebhookDispatcher(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, WebhookSender sender, MigrationState migrations,
    IOptions<EventsOptions> options, IFeatureFlags flags, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>How long a subscription of a tenant whose webhooks are turned off is left alone before the flag is asked again.</summary>
    static readonly TimeSpan PausedRecheck = TimeSpan.FromSeconds(1);

    readonly Guid _owner = Guid.NewGuid();
    readonly ConcurrentDictionary<Guid, Task> _running = new();
    readonly ConcurrentDictionary<Guid, DateTimeOffset> _paused = new();
    readonly SemaphoreSlim _wake = new(0, 1);
    long _beatTicks;

    /// <summary>Whether this instance's last heartbeat is still fresh: its leases are its own only while it is.</summary>
    bool Alive => clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _beatTicks) < Options.HeartbeatTtl.Ticks * 2 / 3;
    WebhookOptions Options => options.Value.Webhooks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        var beating = HeartbeatAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (migrations.Status == MigrationStatus.Applied && Alive)
            {
                try
                {
                    await ClaimAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("Webhook dispatch could not claim subscriptions, will retry: {Error}", e.Message);
                }
            }
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await beating.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await ExecuteAsync(WebhookSql.Retire, new { Owner = _owner }, CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning("Could not retire webhook dispatcher {Owner} (its heartbeat runs out by itself): {Error}", _owner, e.Message);
        }
    }

    /// <summary>Keeps this instance's leases alive; claims wait for the first beat.</summary>
    async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (migrations.Status == MigrationStatus.Applied)
            {
                try
                {
                    var sent = clock.GetUtcNow();
                    await ExecuteAsync(WebhookSql.Heartbeat, new { Owner = _owner, Ttl = Options.HeartbeatTtl }, cancellationToken);
                    var wasAlive = Alive;
                    Interlocked.Exchange(ref _beatTicks, sent.UtcTicks);
                    if (!wasAlive)
                        Wake();
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("Webhook dispatcher heartbeat failed, will retry: {Error}", e.Message);
                }
            }
            await Task.Delay(Options.HeartbeatTtl / 3, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    async Task ClaimAsync(CancellationToken cancellationToken)
    {
        var free = Options.MaxConcurrentSubscriptions - _running.Count;
        if (free <= 0)
            return;
        var now = clock.GetUtcNow();
        foreach (var (id, until) in _paused)
            if (until <= now)
                _paused.TryRemove(id, out _);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<SubscriptionLease>(new CommandDefinition(WebhookSql.Claim,
            new { Owner = _owner, Busy = _running.Keys.Concat(_paused.Keys).ToArray(), Limit = free }, cancellationToken: cancellationToken));
        foreach (var lease in claimed)
        {
            var work = Task.Run(() => DeliverAsync(lease, cancellationToken), CancellationToken.None);
            _running[lease.Id] = work;
            _ = work.ContinueWith(_ =>
            {
                _running.TryRemove(lease.Id, out Task? _);
                Wake();
            }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One batch of a subscription's queue, in order, then the lease is let go and the subscription claimed again if it has
    /// more: a long queue takes turns with the others, and a changed URL or secret is seen at the next batch.
    /// </summary>
    async Task DeliverAsync(SubscriptionLease lease, CancellationToken cancellationToken)
    {
        var failingSince = lease.FailingSince;
        var delivered = new List<(PendingDelivery Delivery, AttemptResult Result)>();
        try
        {
            // The tenant's webhooks turned off (platform's flag): its queue is kept, and flows again when they are on.
            if (!await flags.IsEnabledAsync(FeatureFlagRules.Webhooks, lease.TenantId, whenUnknown: true, cancellationToken))
            {
                _paused[lease.Id] = clock.GetUtcNow() + PausedRecheck;
                return;
            }
            foreach (var delivery in await NextBatchAsync(lease, cancellationToken))
            {
                // A retry not due yet holds the queue; so does a heartbeat gone stale (another instance may own it by now).
                if (!delivery.Due || !Alive)
                    break;
                var result = await sender.SendAsync(lease, delivery, cancellationToken);
                if (result.Succeeded)
                {
                    delivered.Add((delivery, result));
                    failingSince = null;
                    continue;
                }
                await RecordDeliveredAsync(lease, delivered, cancellationToken);
                delivered.Clear();
                var (gaveUp, disabled) = await RecordFailureAsync(lease, delivery, result, failingSince ??= result.At.UtcDateTime, cancellationToken);
                if (!gaveUp || disabled)
                    break;
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
                logger.LogWarning("Webhook deliveries of subscription {Subscription} stopped, will resume: {Error}", lease.Id, e.Message);
        }
        catch (Exception e)
        {
            // Nothing is marked delivered that was not. Pause before the subscription can be claimed again, so a fault that
            // repeats does not spin.
            logger.LogError(e, "Webhook deliveries of subscription {Subscription} failed unexpectedly, will resume", lease.Id);
            await Task.Delay(TimeSpan.FromSeconds(5), clock, CancellationToken.None);
        }
        finally
        {
            try
            {
                // What the partner accepted is recorded even when stopping: otherwise it would be sent again.
                await RecordDeliveredAsync(lease, delivered, CancellationToken.None);
                await ExecuteAsync(WebhookSql.ReleaseLease, new { lease.Id, Owner = _owner }, CancellationToken.None);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning("Could not record the end of a batch of subscription {Subscription} (its lease runs out with this instance; " +
                    "accepted deliveries may be sent again): {Error}", lease.Id, e.Message);
            }
        }
    }

    async Task<IReadOnlyList<PendingDelivery>> NextBatchAsync(SubscriptionLease lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<PendingDelivery>(new CommandDefinition(WebhookSql.NextBatch, new { lease.Id, Owner = _owner, Limit = Options.BatchSize },
            cancellationToken: cancellationToken))];
    }

    /// <summary>The accepted deliveries and their attempts, in one transaction.</summary>
    async Task RecordDeliveredAsync(SubscriptionLease lease, List<(PendingDelivery Delivery, AttemptResult Result)> delivered, CancellationToken cancellationToken)
    {
        if (delivered.Count == 0)
            return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(WebhookSql.InsertAttempts, Attempts(delivered), transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(WebhookSql.MarkDelivered, new
        {
            DeliveryIds = delivered.Select(d => d.Delivery.Id).ToArray(),
            At = delivered.Select(d => d.Result.At.UtcDateTime).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(WebhookSql.SubscriptionHealthy, new { lease.Id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The failed attempt, the delivery's next try (or its end, with WebhookDeliveryFailed through the outbox) and the
    /// subscription's failing streak (disabling it when too long), in one transaction.
    /// </summary>
    async Task<(bool GaveUp, bool Disabled)> RecordFailureAsync(SubscriptionLease lease, PendingDelivery delivery, AttemptResult result, DateTime failingSince,
        CancellationToken cancellationToken)
    {
        var at = result.At.UtcDateTime;
        var attempts = delivery.Attempts + 1;
        var delay = RetryDelay(attempts);
        var gaveUp = at + delay > (delivery.FirstAttemptAt ?? at) + Options.RetryWindow;
        var disabled = at - failingSince >= Options.DisableAfter;
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(WebhookSql.InsertAttempts, Attempts([(delivery, result)]), session.Transaction, cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition(WebhookSql.MarkFailedAttempt, new
        {
            delivery.Id,
            At = at,
            Error = result.Describe(),
            Delay = delay,
            GiveUp = gaveUp,
        }, session.Transaction, cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition(WebhookSql.SubscriptionFailing, new
        {
            lease.Id,
            At = failingSince,
            Disable = disabled,
            Reason = $"Disabled at {at:u}: every delivery failed since {failingSince:u}; last error: {result.Describe()}",
        }, session.Transaction, cancellationToken: cancellationToken));
        if (gaveUp)
        {
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(new WebhookDeliveryFailed(lease.TenantId, lease.Id, delivery.Id, delivery.MessageId, delivery.EventType, lease.Url, attempts,
                result.Describe(), result.At), cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        if (gaveUp)
            logger.LogWarning("Webhook delivery {Delivery} of event {Event} to subscription {Subscription} given up after {Attempts} attempts: {Error}",
                delivery.Id, delivery.MessageId, lease.Id, attempts, result.Describe());
        if (disabled)
            logger.LogWarning("Webhook subscription {Subscription} disabled: failing since {Since}", lease.Id, failingSince);
        return (gaveUp, disabled);
    }

    /// <summary>Doubling from the first delay up to the largest, each drawn from its upper half (jitter spreads a crowd of retries).</summary>
    TimeSpan RetryDelay(int attempts)
    {
        var doubling = Options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = Math.Min(doubling, Options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay / 2 + Random.Shared.NextDouble() * delay / 2);
    }

    static object Attempts(IReadOnlyList<(PendingDelivery Delivery, AttemptResult Result)> attempts) => new
    {
        Ids = attempts.Select(_ => Guid.CreateVersion7()).ToArray(),
        DeliveryIds = attempts.Select(a => a.Delivery.Id).ToArray(),
        TenantIds = attempts.Select(a => a.Delivery.TenantId).ToArray(),
        Numbers = attempts.Select(a => a.Delivery.Attempts + 1).ToArray(),
        At = attempts.Select(a => a.Result.At.UtcDateTime).ToArray(),
        StatusCodes = attempts.Select(a => a.Result.StatusCode).ToArray(),
        LatencyMs = attempts.Select(a => a.Result.LatencyMs).ToArray(),
        Errors = attempts.Select(a => a.Result.Error).ToArray(),
        Excerpts = attempts.Select(a => a.Result.ResponseExcerpt).ToArray(),
    };

    async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    /// <summary>LISTENs for the history's NOTIFY (sent at the commit that queued deliveries), reconnecting when the database goes away.</summary>
    async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Wake();
                await connection.ExecuteAsync($"listen {WebhookSql.NotifyChannel}");
                while (!cancellationToken.IsCancellationRequested)
                    await connection.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
