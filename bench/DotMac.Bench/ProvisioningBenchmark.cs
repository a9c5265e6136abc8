using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using DotMac.Services.Tests;
using Npgsql;

namespace DotMac.Bench;

/// <summary>
/// provisioning: orders end to end through the gateway on the tests' fleet of real processes (gateway, services,
/// networking, billing, ops; PostgreSQL and RabbitMQ), 32 clients at a time: orders/s from the first accepted order to
/// the last active one, and p50/p95/p99 from acceptance to active (server timestamps; in a burst that is mostly
/// queueing), then 30 orders one at a time, POST to active as the client sees it. The peer, in the same run,
/// is the same fleet's cheapest round trip: an authenticated GET of an order through the gateway (requests/s with
/// the same 32 clients), so the ratio says how many reads one order costs. Goal: 100 orders/s, p95 under 2 s.
/// </summary>
public static class ProvisioningBenchmark
{
    const int Clients = 32;

    public static Task<BenchResult> RunAsync(string[] args) => OnFleetAsync(() => MeasureAsync(args));

    /// <summary>Runs a benchmark that starts the tests' fleet, then stops what the fleet leased (identity, PostgreSQL, RabbitMQ).</summary>
    public static async Task<BenchResult> OnFleetAsync(Func<Task<BenchResult>> measure)
    {
        try
        {
            return await measure();
        }
        finally
        {
            // Lets go of identity, PostgreSQL and RabbitMQ (stopped if the benchmark started them).
            await DotMac.Identity.Tests.Support.TrustedIdentity.StopAsync();
            await DotMac.Testing.TestInfrastructure.ReleaseAsync();
        }
    }

    static async Task<BenchResult> MeasureAsync(string[] args)
    {
        var orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        Console.WriteLine("Starting the fleet (gateway, services, networking, billing, ops as processes)");
        await using var fleet = await ProvisioningFleet.StartAsync("bench_provisioning", TimeSpan.FromSeconds(60));
        var tenant = Guid.NewGuid();
        var plan = (await fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", tenant,
            new CreatePlanRequest("bench", "Bench 100", new PlanTerms(100, 20, 30m, "USD")))).Id;
        var prefix = await fleet.CallAsync<JsonElement>("networking", HttpMethod.Post, "/api/v1/ip-prefixes", tenant, new { prefix = "100.72.0.0/16" });
        var pool = (await fleet.CallAsync<JsonElement>("networking", HttpMethod.Post, "/api/v1/ip-pools", tenant,
            new { name = "bench", prefixId = prefix.GetProperty("id").GetGuid(), network = "100.72.0.0/16" })).GetProperty("id").GetGuid();

        Console.WriteLine("Warming up: 200 orders");
        await RunOrdersAsync(fleet, tenant, plan, pool, "warm", 200);
        await SettleAsync(fleet, "warm", 200);

        Console.WriteLine($"Measuring: {orders} orders, {Clients} clients");
        await RunOrdersAsync(fleet, tenant, plan, pool, "run", orders);
        await SettleAsync(fleet, "run", orders);
        await using var services = new NpgsqlConnection(fleet.ConnectionString("services"));
        var times = (await services.QueryAsync<(DateTime Created, DateTime? Activated, string Status)>("""
            select o.created_at, i.activated_at, o.status from service_orders o join service_instances i on i.id = o.service_id
            where o.username like 'run-%'
            """)).ToList();
        var failed = times.Count(t => t.Status != "active");
        var latencies = times.Where(t => t.Activated is not null).Select(t => (t.Activated!.Value - t.Created).TotalMilliseconds).Order().ToList();
        var span = (times.Max(t => t.Activated ?? t.Created) - times.Min(t => t.Created)).TotalSeconds;
        var rate = orders / span;
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine($"{orders} orders in {span:0.00} s = {rate:0.0} orders/s; {failed} failed; order to active p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, p99 {P(0.99):0} ms");

        Console.WriteLine("Unloaded latency: 30 orders one at a time");
        var single = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var clock = Stopwatch.StartNew();
            await RunOrdersAsync(fleet, tenant, plan, pool, $"one{i}", 1, 1);
            await SettleAsync(fleet, $"one{i}", 1);
            single.Add(clock.Elapsed.TotalMilliseconds);
        }
        single.Sort();
        var singleP95 = single[(int)Math.Ceiling(0.95 * single.Count) - 1];
        Console.WriteLine($"one order at a time, POST to active as the client sees it: p50 {single[single.Count / 2]:0} ms, p95 {singleP95:0} ms");

        var anyOrder = await services.ExecuteScalarAsync<Guid>("select id from service_orders where username like 'run-%' limit 1");
        var reads = await ReadsPerSecondAsync(fleet, tenant, anyOrder, TimeSpan.FromSeconds(10));
        Console.WriteLine($"peer: GET of an order through the gateway, {Clients} clients: {reads:0} requests/s; one order = {reads / rate:0.0} reads");
        return new BenchResult("provisioning", "orders_per_second", Math.Round(rate, 1), "orders/s", 100,
            "authenticated GET of an order through the gateway (requests/s)", Math.Round(reads, 0), Math.Round(rate / reads, 4),
            new Dictionary<string, object>
            {
                ["orders"] = orders,
                ["failed"] = failed,
                ["clients"] = Clients,
                ["p50_ms"] = Math.Round(P(0.5)),
                ["p95_ms"] = Math.Round(P(0.95)),
                ["p99_ms"] = Math.Round(P(0.99)),
                ["p95_goal_ms"] = 2000,
                ["unloaded_p50_ms"] = Math.Round(single[single.Count / 2]),
                ["unloaded_p95_ms"] = Math.Round(singleP95),
                ["seconds"] = Math.Round(span, 2),
                ["processor_count"] = Environment.ProcessorCount,
            });
    }

    static async Task RunOrdersAsync(ProvisioningFleet fleet, Guid tenant, Guid plan, Guid pool, string prefix, int count, int clients = Clients)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var response = await fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", tenant,
                    new CreateOrderRequest(Guid.NewGuid(), plan, pool, $"{prefix}-{i}"), $"{prefix}-{i}");
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"order {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }));
    }

    static async Task SettleAsync(ProvisioningFleet fleet, string prefix, int count)
    {
        await using var services = new NpgsqlConnection(fleet.ConnectionString("services"));
        var clock = Stopwatch.StartNew();
        while (await services.ExecuteScalarAsync<long>("select count(*) from service_orders where status in ('active', 'failed') and username like @p",
            new { p = prefix + "-%" }) < count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException($"{prefix}: orders did not settle within 5 minutes");
            await Task.Delay(10);
        }
    }

    static async Task<double> ReadsPerSecondAsync(ProvisioningFleet fleet, Guid tenant, Guid order, TimeSpan duration)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var response = await fleet.SendAsync("services", HttpMethod.Get, $"/api/v1/service-orders/{order}", tenant);
                if (response.IsSuccessStatusCode)
                    Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }
}
