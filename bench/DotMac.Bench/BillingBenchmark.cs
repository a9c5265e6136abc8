using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using DotMac.Services.Tests;
using Npgsql;

namespace DotMac.Bench;

/// <summary>
/// billing: one billing cycle over N active subscriptions (default 100,000, one per account, 10% VAT exclusive),
/// started through the gateway and timed until billing marks it completed: every invoice issued with its number, line
/// and tax, subscriptions billed through, InvoiceIssued in the outbox. The floor, same database, same run: a bare
/// INSERT ... SELECT of the same number of invoice rows (numbers and totals computed in SQL, no lines, no taxes, no
/// events). Goal: under 60 s, within 4x of the floor. Billing runs as a process on the fleet, as in production.
/// Arguments: [subscriptions] [accounts per batch, default billing's 2,000]; DOTMAC_TEST_LOGS=1 shows each batch's phases.
/// </summary>
public static class BillingBenchmark
{
    public static Task<BenchResult> RunAsync(string[] args) => ProvisioningBenchmark.OnFleetAsync(() => MeasureAsync(args));

    static async Task<BenchResult> MeasureAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        Console.WriteLine("Starting the fleet (gateway, services, networking, billing, ops as processes)");
        await using var fleet = await ProvisioningFleet.StartAsync("bench_billing", TimeSpan.FromSeconds(60),
            args.Length > 1 ? new Dictionary<string, string> { ["Billing__CycleBatchSize"] = args[1] } : null);
        var tenant = Guid.NewGuid();
        await using var db = new NpgsqlConnection(fleet.ConnectionString("billing"));
        await db.OpenAsync();
        Console.WriteLine($"Seeding {count:N0} accounts with one active monthly subscription each");
        await db.ExecuteAsync("""insert into tenant_billing (tenant_id, currency, tax_rates) values (@tenant, 'USD', '[{"name":"VAT","percent":10,"inclusive":false}]')""",
            new { tenant });
        await fleet.SeedSubscriptionsAsync(tenant, count);

        // The floor first, on a quiet system: the same number of invoice rows in one statement, into a copy of the table
        // (same columns, same indexes).
        await db.ExecuteAsync("create table floor_invoices (like invoices including defaults including constraints including indexes)");
        var floor = Stopwatch.StartNew();
        await db.ExecuteAsync("""
            insert into floor_invoices (id, tenant_id, account_id, customer_id, cycle_id, sequence, number, status, currency, period_start, period_end,
                lines_total, net, tax_total, total, issued_at, due_at)
            select gen_random_uuid(), s.tenant_id, s.account_id, s.customer_id, @floorCycle, n, 'INV-' || lpad(n::text, 6, '0'), 'issued', s.currency, '2027-01-01', '2027-01-31',
                s.price, s.price, round(s.price * 0.10, 2), s.price + round(s.price * 0.10, 2), now(), now() + interval '14 days'
            from (select *, row_number() over (order by account_id) as n from subscriptions where tenant_id = @tenant) s
            """, new { tenant, floorCycle = Guid.NewGuid() }, commandTimeout: 600);
        var floorSeconds = floor.Elapsed.TotalSeconds;
        await db.ExecuteAsync("drop table floor_invoices");
        var clock = Stopwatch.StartNew();
        var started = await fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart = new DateOnly(2027, 1, 1) });
        var cycle = started.GetProperty("id").GetGuid();
        while (await db.ExecuteScalarAsync<string?>("select status from billing_cycles where id = @cycle", new { cycle }) != "completed")
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(15))
                throw new TimeoutException("The cycle did not complete in 15 minutes.");
            await Task.Delay(50);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var invoices = await db.ExecuteScalarAsync<long>("select count(*) from invoices where tenant_id = @tenant", new { tenant });
        var lines = await db.ExecuteScalarAsync<long>("select count(*) from invoice_lines where tenant_id = @tenant", new { tenant });
        if (invoices != count || lines != count)
            throw new InvalidOperationException($"The cycle made {invoices} invoices and {lines} lines for {count} subscriptions.");
        foreach (var line in fleet.Tail("billing").Split('\n').Where(l => l.Contains(" batch ", StringComparison.Ordinal)).TakeLast(3))
            Console.WriteLine($"  billing: {line.Trim()}");
        Console.WriteLine($"cycle: {count:N0} invoices in {seconds:F2} s = {count / seconds:N0} invoices/s");

        var ratio = seconds / floorSeconds;
        Console.WriteLine($"the cycle takes {ratio:0.00}x the floor");
        Console.WriteLine($"floor (INSERT ... SELECT of {count:N0} invoice rows): {floorSeconds:F2} s = {count / floorSeconds:N0} rows/s");
        return new BenchResult("billing", "invoices_per_second", Math.Round(count / seconds), "invoices/s", Math.Round(count / 60.0), "INSERT ... SELECT of the same invoice rows",
            Math.Round(count / floorSeconds), Math.Round(ratio, 2), new Dictionary<string, object>
            {
                ["subscriptions"] = count,
                ["cycle_seconds"] = Math.Round(seconds, 2),
                ["floor_seconds"] = Math.Round(floorSeconds, 3),
                ["goal_seconds"] = 60,
                ["goal_ratio"] = 4.0,
                ["ratio_meaning"] = "cycle time / floor time (lower is better)",
            });
    }
}
