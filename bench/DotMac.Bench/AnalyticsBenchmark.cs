using System.Diagnostics;
using System.Globalization;
using Dapper;
using DotMac.Analytics.Data;
using DotMac.Services.Tests;
using DotMac.Testing;
using MassTransit;
using Npgsql;

namespace DotMac.Bench;

/// <summary>
/// analytics: (1) events per second applied to the read models end to end: DeviceDown published through a producer's
/// PostgreSQL outbox (50 per transaction, 8 producers, as in the bus benchmark), carried by RabbitMQ, applied by the
/// analytics service (a process of the tests' fleet) through its inbox, until its table holds every one. Peer, in the
/// same run: plain MassTransit publish/consume. Goal: at least 0.5x.
/// (2) The summary API's p95 through the gateway over a tenant with 100,000 subscribers and a year of history
/// (activations over the year, plan changes, suspensions, resumptions, terminations, a monthly invoice per subscriber
/// and its payment), seeded straight into analytics' tables; peer, in the same run: the bare SQL statements the
/// summary runs, one after another on one connection. Goals: under 50 ms, and within 3x of the bare SQL.
/// </summary>
public static class AnalyticsBenchmark
{
    const int Calls = 20;

    public static Task<BenchResult> RunAsync(string[] args) => ProvisioningBenchmark.OnFleetAsync(() => MeasureAsync(args));

    static async Task<BenchResult> MeasureAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var subscribers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;

        Console.WriteLine($"plain MassTransit: {count} events published and consumed");
        var plain = await BusBenchmark.PlainAsync(count);
        Console.WriteLine($"  {plain:0} events/s");

        Console.WriteLine("Starting the fleet (gateway, analytics, services, networking, billing, ops as processes) and a producer service");
        await using var fleet = await ProvisioningFleet.StartAsync("bench_analytics", TimeSpan.FromSeconds(60), analytics: true);
        await using var producerDatabase = await TestInfrastructure.CreateDatabaseAsync("bench_analytics_producer");
        await using var producer = EventsBenchmark.BuildProducer(fleet.MessagingConnectionString, producerDatabase.ConnectionString);
        await producer.StartAsync();
        await producer.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        Console.WriteLine($"warm-up: {count / 4} events");
        await ApplyAsync(fleet, producer, Guid.NewGuid(), count / 4);
        Console.WriteLine($"read models: {count} events through the producer's outbox into analytics");
        var seconds = await ApplyAsync(fleet, producer, Guid.NewGuid(), count);
        var applied = count / seconds;
        Console.WriteLine($"  {applied:0} events/s = {applied / plain:0.00}x plain MassTransit");

        var tenant = Guid.NewGuid();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        Console.WriteLine($"seeding a tenant with {subscribers} subscribers and a year of history up to {day:yyyy-MM-dd}");
        var seeding = Stopwatch.StartNew();
        var rows = await SeedAsync(fleet.ConnectionString("analytics"), tenant, subscribers, day);
        Console.WriteLine($"  {rows} rows in {seeding.Elapsed.TotalSeconds:0.0} s");

        var api = await TimeAsync(async () => await fleet.CallAsync<System.Text.Json.JsonElement>("analytics", HttpMethod.Get,
            $"/api/v1/summary?date={day:yyyy-MM-dd}", tenant));
        Console.WriteLine($"  summary API p50 {api.P50:0.0} ms, p95 {api.P95:0.0} ms");
        await using var connection = new NpgsqlConnection(fleet.ConnectionString("analytics"));
        await connection.OpenAsync();
        var parameters = new { TenantId = tenant, From = day.ToDateTime(TimeOnly.MinValue), To = day.ToDateTime(TimeOnly.MinValue), Grain = "day" };
        string[] statements = [AnalyticsSql.Tenant, AnalyticsSql.Subscribers, AnalyticsSql.Provisioning, AnalyticsSql.FailureReasons, AnalyticsSql.Revenue,
            AnalyticsSql.Plans, AnalyticsSql.Sites, AnalyticsSql.Collections, AnalyticsSql.Network, AnalyticsSql.Downtime];
        var bare = await TimeAsync(async () =>
        {
            foreach (var sql in statements)
                await connection.QueryAsync(sql, parameters);
        });
        Console.WriteLine($"  bare SQL p50 {bare.P50:0.0} ms, p95 {bare.P95:0.0} ms");
        var each = new Dictionary<string, object>();
        var named = new Dictionary<string, string>
        {
            ["subscribers"] = AnalyticsSql.Subscribers, ["provisioning"] = AnalyticsSql.Provisioning, ["revenue"] = AnalyticsSql.Revenue, ["plans"] = AnalyticsSql.Plans,
            ["sites"] = AnalyticsSql.Sites, ["collections"] = AnalyticsSql.Collections, ["network"] = AnalyticsSql.Network,
        };
        foreach (var (name, sql) in named)
        {
            var clock = Stopwatch.StartNew();
            await connection.QueryAsync(sql, parameters);
            each[name] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        }
        Console.WriteLine($"  per statement (ms): {string.Join(", ", each.Select(e => $"{e.Key} {e.Value}"))}");
        // The profile: where the slowest statement spends its time.
        var slowest = each.MaxBy(e => (double)e.Value).Key;
        var plan = await connection.QueryAsync<string>($"explain (analyze, buffers) {named[slowest]}", parameters);
        Console.WriteLine($"  plan of {slowest}:\n    {string.Join("\n    ", plan)}");

        return new BenchResult("analytics", "events_applied_per_second", Math.Round(applied), "1/s", 0.5,
            "plain MassTransit publish/consume (events/s)", Math.Round(plain), Math.Round(applied / plain, 2),
            new Dictionary<string, object>
            {
                ["summary_p95_ms"] = Math.Round(api.P95, 1),
                ["summary_p50_ms"] = Math.Round(api.P50, 1),
                ["bare_sql_p95_ms"] = Math.Round(bare.P95, 1),
                ["summary_vs_bare_sql"] = Math.Round(api.P95 / bare.P95, 2),
                ["summary_goal_ms"] = 50,
                ["statement_ms"] = each,
                ["subscribers"] = subscribers,
                ["seeded_rows"] = rows,
                ["events"] = count,
                ["events_per_transaction"] = BusBenchmark.EventsPerTransaction,
                ["producers"] = BusBenchmark.Producers,
            });
    }

    static Task<double> ApplyAsync(ProvisioningFleet fleet, WebApplication producer, Guid tenant, int count) =>
        EventsBenchmark.DeviceDownsAsync(fleet, producer, tenant, count, "analytics", "select count(*) from device_transitions where tenant_id = @tenant");

    static async Task<(double P50, double P95)> TimeAsync(Func<Task> call)
    {
        for (var i = 0; i < 3; i++)
            await call();
        var times = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
    }

    /// <summary>
    /// A year of a tenant, set-based: activations spread over the year on three plans and three sites; 10% change plan
    /// a month later, 5% are suspended two months in (3% resumed), 8% terminated after three; a monthly invoice per
    /// subscriber while subscribed, 95% paid within ten days.
    /// </summary>
    static async Task<long> SeedAsync(string connectionString, Guid tenant, int subscribers, DateOnly day)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var parameters = new { Tenant = tenant, N = subscribers, Start = end.AddYears(-1), End = end, P1 = Guid.NewGuid(), P2 = Guid.NewGuid(), P3 = Guid.NewGuid() };
        long rows = 0;
        foreach (var sql in new[]
        {
            "insert into tenants (tenant_id, time_zone, currency, version) values (@Tenant, 'UTC', 'USD', 1)",
            """
            create temporary table bench_services as
            select gen_random_uuid() as service_id, gen_random_uuid() as order_id, gen_random_uuid() as customer_id, i,
                   (array[@P1, @P2, @P3])[1 + i % 3] as plan_id, (array[30, 60, 90])[1 + i % 3]::numeric as price, 'site-' || (i % 3) as site,
                   @Start::timestamp + (i::double precision / @N) * (@End::timestamp - @Start::timestamp) * 0.9 as at
            from generate_series(1, @N) as i
            """,
            """
            insert into service_transitions (message_id, tenant_id, service_id, order_id, customer_id, plan_id, kind, occurred_at, price, currency, billing_period, monthly_price)
            select gen_random_uuid(), @Tenant, service_id, order_id, customer_id, plan_id, 'submitted', at - interval '2 minutes', null, null, null, null from bench_services
            union all
            select gen_random_uuid(), @Tenant, service_id, order_id, customer_id, plan_id, 'activated', at, price, 'USD', 'monthly', price from bench_services
            union all
            select gen_random_uuid(), @Tenant, service_id, order_id, customer_id, plan_id, 'plan_changed', at + interval '30 days', price + 10, 'USD', 'monthly', price + 10
            from bench_services where i % 10 = 0 and at + interval '30 days' < @End
            union all
            select gen_random_uuid(), @Tenant, service_id, null, customer_id, null, 'suspended', at + interval '60 days', null, null, null, null
            from bench_services where i % 20 = 1 and at + interval '60 days' < @End
            union all
            select gen_random_uuid(), @Tenant, service_id, null, customer_id, null, 'resumed', at + interval '70 days', null, null, null, null
            from bench_services where i % 20 = 1 and i % 3 <> 0 and at + interval '70 days' < @End
            union all
            select gen_random_uuid(), @Tenant, service_id, null, customer_id, null, 'terminated', at + interval '90 days', null, null, null, null
            from bench_services where i % 25 = 2 and at + interval '90 days' < @End
            """,
            "insert into order_sites (order_id, tenant_id, site, occurred_at) select order_id, @Tenant, site, at from bench_services",
            // What the live statements derive from each transition.
            "select refresh_service_intervals(@Tenant, service_id) from bench_services",
            """
            create temporary table bench_invoices as
            select gen_random_uuid() as invoice_id, s.customer_id, s.price as total, m as issued_at, s.i * 100 + n as n
            from bench_services s
            cross join lateral generate_series(s.at + interval '1 day', least(@End::timestamp, case when s.i % 25 = 2 then s.at + interval '90 days' else @End::timestamp end),
                interval '1 month') with ordinality as g(m, n)
            """,
            """
            insert into invoices (invoice_id, tenant_id, customer_id, number, total, amount_due, currency, issued_at, due_at, settled_at)
            select invoice_id, @Tenant, customer_id, 'INV-' || n, total, total, 'USD', issued_at, issued_at + interval '14 days',
                   case when n % 20 <> 0 and issued_at + interval '10 days' < @End then issued_at + interval '10 days' end
            from bench_invoices
            """,
            """
            insert into invoice_changes (message_id, tenant_id, invoice_id, amount_due, status, occurred_at)
            select gen_random_uuid(), @Tenant, invoice_id, 0, 'paid', issued_at + interval '10 days' from bench_invoices where n % 20 <> 0 and issued_at + interval '10 days' < @End
            """,
            """
            insert into payments (payment_id, tenant_id, customer_id, amount, currency, method, occurred_at)
            select gen_random_uuid(), @Tenant, customer_id, total, 'USD', 'card', issued_at + interval '10 days' from bench_invoices
            where n % 20 <> 0 and issued_at + interval '10 days' < @End
            """,
        })
            rows += Math.Max(0, await connection.ExecuteAsync(new CommandDefinition(sql, parameters, commandTimeout: 600)));
        await connection.ExecuteAsync(new CommandDefinition("analyze service_transitions, service_intervals, order_sites, invoices, invoice_changes, payments", commandTimeout: 600));
        return rows;
    }
}
