using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DotMac.Contracts.Networking;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Services.Tests;
using DotMac.Testing;
using MassTransit;

namespace DotMac.Bench;

/// <summary>
/// events: integration events per second recorded into the history end to end: published through the PostgreSQL outbox
/// of a producer service (50 per transaction, 8 producers, as in the bus benchmark), carried by RabbitMQ, stored by
/// the events service (a process of its own, on the tests' fleet) through its inbox, until the history holds every
/// one. Peer, in the same run: plain MassTransit publish/consume (the bus benchmark's peer). Goal: at least 0.5x.
/// Also measured in the same run, as the ceiling: the bus benchmark's own outbox + inbox path (producer and consumer
/// in one process, one insert per event), which any consumer behind an outbox can at best equal.
/// Then webhook deliveries per second: the warm-up's events replayed from the history to four subscriptions of a
/// local partner server (a real Kestrel answering 200), until it has every one. Goal: 1,000/s.
/// </summary>
public static class EventsBenchmark
{
    const int Subscriptions = 4;

    public static Task<BenchResult> RunAsync(string[] args) => ProvisioningBenchmark.OnFleetAsync(() => MeasureAsync(args));

    static async Task<BenchResult> MeasureAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var warmUp = Math.Min(10_000, count / 2);

        Console.WriteLine($"plain MassTransit: {count} events published and consumed");
        var plain = await BusBenchmark.PlainAsync(count);
        Console.WriteLine($"  {plain:0} events/s");
        Console.WriteLine($"bus outbox + inbox alone (the ceiling of any consumer behind an outbox): {count} events");
        var bus = await BusBenchmark.DurableAsync(count);
        Console.WriteLine($"  {bus:0} events/s = {bus / plain:0.00}x plain");

        Console.WriteLine("Starting the fleet (gateway, events, services, networking, billing, ops as processes) and a producer service");
        await using var fleet = await ProvisioningFleet.StartAsync("bench_events", TimeSpan.FromSeconds(60), events: true);
        await using var producerDatabase = await TestInfrastructure.CreateDatabaseAsync("bench_events_producer");
        await using var producer = BuildProducer(fleet.MessagingConnectionString, producerDatabase.ConnectionString);
        await producer.StartAsync();
        await producer.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        var warm = Guid.NewGuid();
        Console.WriteLine($"warm-up: {warmUp} events");
        var warmStarted = DateTimeOffset.UtcNow;
        await RecordAsync(fleet, producer, warm, warmUp);

        var tenant = Guid.NewGuid();
        Console.WriteLine($"history: {count} events through the producer's outbox into the events service");
        var seconds = await RecordAsync(fleet, producer, tenant, count);
        var history = count / seconds;
        Console.WriteLine($"  {history:0} events/s = {history / plain:0.00}x plain MassTransit, {history / bus:0.00}x the bus's outbox + inbox");

        Console.WriteLine($"webhooks: the warm-up's {warmUp} events replayed to {Subscriptions} subscriptions of a local partner");
        await using var partner = await PartnerServer.StartAsync();
        var paths = Enumerable.Range(0, Subscriptions).Select(i => $"partner-{i}").ToList();
        var subscriptions = new List<Guid>();
        foreach (var path in paths)
        {
            var created = await fleet.CallAsync<JsonElement>("events", HttpMethod.Post, "/api/v1/webhooks/subscriptions", warm,
                new { url = partner.Endpoint(path), eventTypes = new[] { "device.*" } });
            subscriptions.Add(created.GetProperty("subscription").GetProperty("id").GetGuid());
        }
        var clock = Stopwatch.StartNew();
        foreach (var subscription in subscriptions)
            await fleet.CallAsync<JsonElement>("events", HttpMethod.Post, $"/api/v1/webhooks/subscriptions/{subscription}/replay", warm,
                new { from = warmStarted.AddMinutes(-1), to = DateTimeOffset.UtcNow.AddMinutes(1) });
        var deliveries = Subscriptions * warmUp;
        while (paths.Sum(p => partner.ReceivedAt(p).Count) < deliveries)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(10))
                throw new TimeoutException($"{paths.Sum(p => partner.ReceivedAt(p).Count)} of {deliveries} webhooks delivered in 10 minutes");
            await Task.Delay(20);
        }
        var webhooks = deliveries / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {deliveries} deliveries in {clock.Elapsed.TotalSeconds:0.00} s = {webhooks:0} deliveries/s");

        return new BenchResult("events", "history_events_per_second", Math.Round(history), "1/s", 0.5,
            "plain MassTransit publish/consume (events/s)", Math.Round(plain), Math.Round(history / plain, 2),
            new Dictionary<string, object>
            {
                ["webhook_deliveries_per_second"] = Math.Round(webhooks),
                ["bus_outbox_inbox_events_per_second"] = Math.Round(bus),
                ["ratio_to_bus_outbox_inbox"] = Math.Round(history / bus, 2),
                ["webhook_goal_per_second"] = 1000,
                ["events"] = count,
                ["webhook_deliveries"] = deliveries,
                ["webhook_subscriptions"] = Subscriptions,
                ["events_per_transaction"] = BusBenchmark.EventsPerTransaction,
                ["producers"] = BusBenchmark.Producers,
            });
    }

    /// <summary>Publishes through the producer's outbox and waits until the history holds all; seconds from the first commit.</summary>
    static Task<double> RecordAsync(ProvisioningFleet fleet, WebApplication producer, Guid tenant, int count) =>
        DeviceDownsAsync(fleet, producer, tenant, count, "events", "select count(*) from event_history where tenant_id = @tenant");

    /// <summary>
    /// <paramref name="count"/> DeviceDown of <paramref name="tenant"/> published through the producer's outbox; waits until
    /// <paramref name="counted"/> (in <paramref name="service"/>'s database) counts them all. Seconds from the first commit.
    /// </summary>
    internal static async Task<double> DeviceDownsAsync(ProvisioningFleet fleet, WebApplication producer, Guid tenant, int count, string service, string counted)
    {
        var at = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await BusBenchmark.PublishThroughOutboxAsync(producer.Services, count, BusBenchmark.EventsPerTransaction, BusBenchmark.Producers,
            i => new DeviceDown(tenant, Guid.NewGuid(), $"olt-{i}", "192.0.2.1", "bench", at.AddTicks(i)));
        Console.WriteLine($"    {count} committed in {clock.Elapsed.TotalSeconds:0.00} s");
        long recorded;
        while ((recorded = await fleet.ScalarAsync<long>(service, counted, new { tenant })) < count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(10))
                throw new TimeoutException($"{recorded} of {count} events reached {service} in 10 minutes");
            await Task.Delay(50);
        }
        Console.WriteLine($"    all in {service} after {clock.Elapsed.TotalSeconds:0.00} s");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A service of its own (as networking) that publishes through its PostgreSQL outbox onto the fleet's broker.</summary>
    internal static WebApplication BuildProducer(string messaging, string database)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = messaging,
            ["ConnectionStrings:producer-db"] = database,
            ["DotMac:ServiceName"] = "networking",
            ["Logging:LogLevel:MassTransit"] = "Error",
        });
        builder.AddServiceDatabase("producer-db", Array.Empty<Migration>());
        builder.AddServiceBus();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }
}
