using System.Diagnostics;
using Dapper;
using DotMac.AppHost.Infrastructure;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DotMac.Bench;

/// <summary>
/// bus: integration events per second end to end, committed through the PostgreSQL outbox and handled through the
/// inbox (each handler writing its effect in the inbox transaction), against the peer measured in the same run:
/// plain MassTransit publish/consume on the same RabbitMQ, no database. Goal: 5,000/s and at least 0.5x the peer.
/// </summary>
public static class BusBenchmark
{
    public const int EventsPerTransaction = 50;
    public const int Producers = 8;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        Console.WriteLine($"plain MassTransit: {count} events published and consumed");
        var plain = await PlainAsync(count);
        Console.WriteLine($"  {plain:0} events/s");

        Console.WriteLine($"outbox + inbox: {count} events committed ({EventsPerTransaction} per transaction, {Producers} producers) and handled");
        var durable = await DurableAsync(count);
        Console.WriteLine($"  {durable:0} events/s = {durable / plain:0.00}x plain");

        return new BenchResult("bus", "events_per_second_outbox_inbox", Math.Round(durable), "1/s", 5000,
            "plain MassTransit publish/consume (events/s)", Math.Round(plain), Math.Round(durable / plain, 2),
            new Dictionary<string, object> { ["events"] = count, ["events_per_transaction"] = EventsPerTransaction, ["producers"] = Producers });
    }

    /// <summary>The peer alone: plain MassTransit publish/consume of <paramref name="count"/> events on a virtual host of its own (events/s).</summary>
    public static async Task<double> PlainAsync(int count)
    {
        var state = StateDirectory.Resolve();
        await using var rabbit = await RabbitMqServer.AcquireAsync(state, NullLogger.Instance, name: "messaging");
        var vhost = $"bench-plain-{Guid.NewGuid().ToString("N")[..8]}";
        await rabbit.CreateVirtualHostAsync(vhost);
        try
        {
            return await MeasureAsync(BuildHost(rabbit.ConnectionStringFor(vhost), database: null), count, PublishPlainAsync);
        }
        finally
        {
            await rabbit.DeleteVirtualHostAsync(vhost);
        }
    }

    /// <summary>The bus benchmark's own figure alone: outbox + inbox events/s on a virtual host and database of their own.</summary>
    public static async Task<double> DurableAsync(int count)
    {
        var state = StateDirectory.Resolve();
        await using var postgres = await PostgresServer.AcquireAsync(state, NullLogger.Instance);
        await using var rabbit = await RabbitMqServer.AcquireAsync(state, NullLogger.Instance, name: "messaging");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await rabbit.CreateVirtualHostAsync($"bench-outbox-{suffix}");
        await postgres.CreateDatabaseIfMissingAsync($"bench_bus_{suffix}");
        try
        {
            return await MeasureAsync(BuildHost(rabbit.ConnectionStringFor($"bench-outbox-{suffix}"), postgres.ConnectionStringFor($"bench_bus_{suffix}")),
                count, PublishThroughOutboxAsync);
        }
        finally
        {
            await rabbit.DeleteVirtualHostAsync($"bench-outbox-{suffix}");
            await postgres.DropDatabaseAsync($"bench_bus_{suffix}");
        }
    }

    /// <summary>Publishes through the outbox of a producer: <paramref name="perTransaction"/> events per transaction, <paramref name="producers"/> at once.</summary>
    public static Task PublishThroughOutboxAsync<T>(IServiceProvider services, int count, int perTransaction, int producers, Func<int, T> message) where T : class
    {
        var transactions = (count + perTransaction - 1) / perTransaction;
        return Parallel.ForAsync(0, transactions, new ParallelOptions { MaxDegreeOfParallelism = producers }, async (t, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var session = scope.ServiceProvider.GetRequiredService<DbSession>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await session.BeginAsync(ct);
            for (var i = t * perTransaction; i < Math.Min(count, (t + 1) * perTransaction); i++)
                await publish.Publish(message(i), ct);
            await session.CommitAsync(ct);
        });
    }

    static WebApplication BuildHost(string messaging, string? database)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = messaging,
            ["ConnectionStrings:bench-db"] = database,
            ["DotMac:ServiceName"] = "bench",
            ["Logging:LogLevel:MassTransit"] = "Error",
        });
        if (database is not null)
            builder.AddServiceDatabase("bench-db", [new Migration(1, "effects", BusBenchmarkSql.CreateEffects)]);
        builder.AddServiceBus(x => x.AddConsumer<BenchEventConsumer>());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }

    static async Task<double> MeasureAsync(WebApplication host, int count, Func<IServiceProvider, int, Task> publish)
    {
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
            await RunOnceAsync(host.Services, Math.Min(10_000, count / 2), publish); // warm-up: JIT (tiered, so long enough for once-per-batch code too), connections, queues
            var clock = Stopwatch.StartNew();
            await RunOnceAsync(host.Services, count, publish);
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    static async Task RunOnceAsync(IServiceProvider services, int count, Func<IServiceProvider, int, Task> publish)
    {
        BenchEventConsumer.Reset(count);
        var clock = Stopwatch.StartNew();
        await publish(services, count);
        Console.WriteLine($"    {count} published in {clock.Elapsed.TotalSeconds:0.00} s; {BenchEventConsumer.Handled} handled by then");
        if (services.GetService<NpgsqlDataSource>() is { } dataSource)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            while (await connection.ExecuteScalarAsync<long>("select count(*) from messaging.outbox_message") > 0)
                await Task.Delay(50);
            Console.WriteLine($"    outbox drained after {clock.Elapsed.TotalSeconds:0.00} s; {BenchEventConsumer.Handled} handled by then");
        }
        if (!await BenchEventConsumer.AllHandled.WaitAsync(TimeSpan.FromMinutes(5)).ContinueWith(t => t.IsCompletedSuccessfully))
            throw new TimeoutException($"Only {BenchEventConsumer.Handled} of {count} events were handled within 5 minutes.");
    }

    static Task PublishPlainAsync(IServiceProvider services, int count)
    {
        var bus = services.GetRequiredService<IBus>();
        return Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, ct) => await bus.Publish(new BenchEvent(Guid.NewGuid(), i), ct));
    }

    static Task PublishThroughOutboxAsync(IServiceProvider services, int count) =>
        PublishThroughOutboxAsync(services, count, EventsPerTransaction, Producers, i => new BenchEvent(Guid.NewGuid(), i));
}

public sealed record BenchEvent(Guid Id, int Sequence);

/// <summary>Counts handled events; with a database, records each one's effect in the inbox's transaction.</summary>
public sealed class BenchEventConsumer(IServiceProvider services) : IConsumer<BenchEvent>
{
    static int _handled;
    static int _expected;
    static TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int Handled => Volatile.Read(ref _handled);
    public static Task AllHandled => _all.Task;

    public static void Reset(int expected)
    {
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _handled, 0);
        Volatile.Write(ref _expected, expected);
    }

    public async Task Consume(ConsumeContext<BenchEvent> context)
    {
        if (services.GetService<DbSession>() is { } session)
        {
            await session.BeginAsync(context.CancellationToken);
            await session.Connection.ExecuteAsync(new CommandDefinition(BusBenchmarkSql.RecordEffect, new { id = context.Message.Id },
                session.Transaction, cancellationToken: context.CancellationToken));
            await session.CommitAsync(context.CancellationToken);
        }
        if (Interlocked.Increment(ref _handled) == Volatile.Read(ref _expected))
            _all.TrySetResult();
    }
}

internal static class BusBenchmarkSql
{
    public const string CreateEffects = "create table effects (id uuid not null, at timestamptz not null default now())";
    public const string RecordEffect = "insert into effects (id) values (@id)";
}
