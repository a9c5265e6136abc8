using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DotMac.Contracts;
using DotMac.Contracts.Billing;
using DotMac.Contracts.Networking;
using DotMac.Contracts.Platform;
using DotMac.Contracts.Services;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using MassTransit;
using Microsoft.VisualBasic.FileIO;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>
/// Analytics on the billing fleet: a scripted month of one tenant through the gateway, every figure equal to what the
/// source services' own APIs say, computed here independently; CSV equal to JSON; tenants apart; customers refused.
/// </summary>
public partial class BillingTests
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Test]
    [Order(2)]
    public async Task Analytics_shows_a_scripted_month_as_the_services_own_apis_do()
    {
        var tenant = await PlatformTenantAsync("America/Chicago", "USD");
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Put, "/api/v1/billing-settings", tenant, new { invoiceSuspended = true, paymentTermsDays = 0 });
        var basic = await PlanAsync(tenant, "basic", new PlanTerms(20, 5, 30.00m, "USD"));
        var fast = await PlanAsync(tenant, "fast", new PlanTerms(100, 20, 60.00m, "USD"));
        var yearly = await PlanAsync(tenant, "yearly", new PlanTerms(50, 10, 239.99m, "USD", "yearly"));
        var pool = await _fleet.PoolAsync(tenant, "100.72.0.0/24");

        // Four subscribers; an upgrade, a downgrade, a suspension, a termination.
        var (upgrader, suspended, leaver, downgrader) = (await OrderAsync(tenant, basic, pool, "a.upgrader"), await OrderAsync(tenant, basic, pool, "b.suspended"),
            await OrderAsync(tenant, yearly, pool, "c.leaver"), await OrderAsync(tenant, fast, pool, "d.downgrader"));
        foreach (var order in new[] { upgrader, suspended, leaver, downgrader })
            await UntilServiceAsync(tenant, order.Id, "active");
        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{upgrader.ServiceId}/change-plan", tenant, new { planId = fast });
        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{downgrader.ServiceId}/change-plan", tenant, new { planId = basic });
        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{suspended.ServiceId}/suspend", tenant, new { reason = "customer asked" });
        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{leaver.ServiceId}/terminate", tenant, new { reason = "moved away" });
        await UntilServiceAsync(tenant, suspended.Id, "suspended");
        await UntilServiceAsync(tenant, leaver.Id, "terminated");

        // Invoices of what each was charged; one paid in full, one in part, one credited a little and left overdue.
        // (The activation's charge; with a plan change also its credit and new charge.)
        var upgraderInvoice = await InvoiceNowAsync(tenant, upgrader.CustomerId, charges: 3);
        var suspendedInvoice = await InvoiceNowAsync(tenant, suspended.CustomerId, charges: 1);
        var downgraderInvoice = await InvoiceNowAsync(tenant, downgrader.CustomerId, charges: 3);
        await PayAsync(tenant, upgrader.CustomerId, upgraderInvoice.GetProperty("amountDue").GetDecimal());
        await PayAsync(tenant, suspended.CustomerId, Math.Round(suspendedInvoice.GetProperty("amountDue").GetDecimal() / 2, 2));
        var credit = Math.Round(downgraderInvoice.GetProperty("amountDue").GetDecimal() / 4, 2);
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/credit-notes", tenant,
            new { accountId = downgraderInvoice.GetProperty("accountId").GetGuid(), amount = credit, reason = "Outage", invoiceId = downgraderInvoice.GetProperty("id").GetGuid() },
            Guid.NewGuid().ToString());

        var expected = await FiguresAsEqualAsync(tenant, credit);

        // The day's summary says the same; provisioning counts the services' own orders.
        var summary = await _fleet.CallAsync<JsonElement>("analytics", HttpMethod.Get, $"/api/v1/summary?date={expected.Today:yyyy-MM-dd}", tenant);
        Assert.That((summary.GetProperty("revenue").GetProperty("mrr").GetDecimal(), summary.GetProperty("collections").GetProperty("outstanding").GetDecimal(),
            summary.GetProperty("subscribers").GetProperty("active").GetInt64(), summary.GetProperty("timeZone").GetString(), summary.GetProperty("currency").GetString()),
            Is.EqualTo((expected.Mrr, expected.Outstanding, expected.Active, "America/Chicago", "USD")));
        var orders = (await _fleet.CallAsync<JsonElement>("services", HttpMethod.Get, "/api/v1/service-orders?limit=1", tenant)).GetProperty("total").GetInt64();
        var provisioning = await AnalyticsAsync(tenant, $"provisioning?from={expected.Today.AddDays(-1):yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}");
        Assert.That((Sum(provisioning, "submitted"), Sum(provisioning, "activated"), Sum(provisioning, "failed")), Is.EqualTo((orders, orders, 0L)));
        Assert.That(provisioning.GetProperty("points").EnumerateArray().Any(p => p.GetProperty("leadTimeP50Seconds").ValueKind == JsonValueKind.Number
            && p.GetProperty("leadTimeP50Seconds").GetDouble() > 0), Is.True, "orders took time to go live");

        // Every address came from the pool of the prefix at pop-1.
        var sites = await AnalyticsAsync(tenant, $"sites?from={expected.Today:yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}");
        Assert.That(sites.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("site").GetString(), p.GetProperty("active").GetInt64(),
            p.GetProperty("suspended").GetInt64(), p.GetProperty("mrr").GetDecimal())), Is.EqualTo(new[] { ((string?)"pop-1", expected.Active, expected.Suspended, expected.Mrr) }));

        // CSV: the same numbers, with the tenant's currency and zone.
        var csv = await CsvAsync(tenant, $"collections?from={expected.Today.AddDays(-1):yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}&format=csv");
        Assert.That(csv[0], Is.EqualTo(new[] { "period", "invoices", "invoiced", "collected", "credited", "outstanding", "not_due", "overdue_0_to_30", "overdue_31_to_60",
            "overdue_61_to_90", "overdue_over_90", "overdue_invoices", "days_sales_outstanding", "time_zone", "currency" }));
        var row = csv.Single(r => r[0] == expected.Today.ToString("yyyy-MM-dd", Invariant));
        var header = csv[0].ToList();
        Assert.That(decimal.Parse(row[header.IndexOf("outstanding")], Invariant), Is.EqualTo(expected.Outstanding));
        Assert.That((row[header.IndexOf("time_zone")], row[header.IndexOf("currency")]), Is.EqualTo(("America/Chicago", "USD")));
        var revenueCsv = await CsvAsync(tenant, $"revenue?from={expected.Today:yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}&format=csv");
        Assert.That(decimal.Parse(revenueCsv[1][revenueCsv[0].ToList().IndexOf("mrr")], Invariant), Is.EqualTo(expected.Mrr));

        // The live model loses what it holds of payments and balances (as if those events had never reached it); a rebuild
        // from the history, while an order goes live meanwhile, brings every figure back, each counted once.
        await using (var analytics = new Npgsql.NpgsqlConnection(_fleet.ConnectionString("analytics")))
            await Dapper.SqlMapper.ExecuteAsync(analytics, "delete from payments where tenant_id = @tenant; delete from invoice_changes where tenant_id = @tenant", new { tenant });
        Assert.That(Last(await AnalyticsAsync(tenant, $"collections?from={expected.Today:yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}")).GetProperty("collected").GetDecimal(),
            Is.Zero, "the live model lost the payments");
        var late = await OrderAsync(tenant, basic, pool, "e.late");
        var rebuild = await _fleet.CallAsync<JsonElement>("analytics", HttpMethod.Post, "/api/v1/rebuilds", tenant);
        Assert.That(rebuild.GetProperty("status").GetString(), Is.EqualTo("running"));
        using (var again = await _fleet.SendAsync("analytics", HttpMethod.Post, "/api/v1/rebuilds", tenant))
            Assert.That(again.StatusCode, Is.AnyOf(HttpStatusCode.Conflict, HttpStatusCode.Accepted), "one rebuild at a time (or the first one is already done)");
        await UntilServiceAsync(tenant, late.Id, "active");
        JsonElement done = default;
        await ProvisioningFleet.EventuallyAsync(async () => (done = await _fleet.CallAsync<JsonElement>("analytics", HttpMethod.Get,
            $"/api/v1/rebuilds/{rebuild.GetProperty("id").GetGuid()}", tenant)).GetProperty("status").GetString() != "running", "the rebuild ends", TimeSpan.FromSeconds(60));
        Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"), done.ToString());
        Assert.That(done.GetProperty("eventsApplied").GetInt64(), Is.GreaterThan(20), "the month's events, read from the history");
        await FiguresAsEqualAsync(tenant, credit);

        // Another tenant's staff see nothing of it; its customers are refused.
        var client = new TenantClient(_fleet.Gateway, "tenant_admin", []);
        var otherAdmin = await TrustedIdentity.TokenAsync(Guid.NewGuid(), "tenant_admin", TrustedIdentity.TenantPermissions("analytics", "read"));
        var other = await ReadAsync(client, otherAdmin, "/api/v1/analytics/summary");
        Assert.That((other.GetProperty("revenue").GetProperty("mrr").GetDecimal(), other.GetProperty("collections").GetProperty("outstanding").GetDecimal(),
            other.GetProperty("subscribers").GetProperty("active").GetInt64()), Is.EqualTo((0m, 0m, 0L)));
        var customer = await TrustedIdentity.TokenAsync(tenant, "customer", [new Permission("analytics", "read", PermissionScope.Own)], upgrader.CustomerId);
        using (var refused = await client.SendAsync(HttpMethod.Get, "/api/v1/analytics/summary", customer))
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using (var bad = await _fleet.SendAsync("analytics", HttpMethod.Get, "/api/v1/series/revenue?from=2026-01-01&to=2026-01-31&format=xml", tenant))
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    /// <summary>Waits until analytics agrees with the services' and billing's APIs, then checks every figure against them.</summary>
    async Task<Expected> FiguresAsEqualAsync(Guid tenant, decimal credited)
    {
        Expected expected = null!;
        JsonElement revenue = default, collections = default, subscribers = default, plans = default;
        try
        {
            await ProvisioningFleet.EventuallyAsync(async () =>
            {
                expected = await ExpectedAsync(tenant);
                var range = $"from={expected.Today.AddDays(-1):yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}";
                revenue = await AnalyticsAsync(tenant, $"revenue?{range}");
                collections = await AnalyticsAsync(tenant, $"collections?{range}");
                subscribers = await AnalyticsAsync(tenant, $"subscribers?{range}");
                plans = await AnalyticsAsync(tenant, $"plans?from={expected.Today:yyyy-MM-dd}&to={expected.Today:yyyy-MM-dd}");
                return Last(revenue).GetProperty("mrr").GetDecimal() == expected.Mrr && Last(collections).GetProperty("outstanding").GetDecimal() == expected.Outstanding
                    && Last(collections).GetProperty("collected").GetDecimal() + First(collections).GetProperty("collected").GetDecimal() == expected.Collected
                    && Last(subscribers).GetProperty("terminated").GetInt64() == 1 && Last(subscribers).GetProperty("suspended").GetInt64() == 1;
            }, "analytics to hold every event of the scripted month", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}\nexpected {expected}\nrevenue {revenue}\ncollections {collections}\nsubscribers {subscribers}\nanalytics:\n{_fleet.Tail("analytics")}");
        }

        var day = Last(revenue);
        Assert.That((Last(subscribers).GetProperty("active").GetInt64(), Last(subscribers).GetProperty("suspended").GetInt64(), Last(subscribers).GetProperty("terminated").GetInt64()),
            Is.EqualTo((expected.Active, expected.Suspended, expected.Terminated)));
        Assert.That(Sum(subscribers, "activated"), Is.EqualTo(expected.Active + expected.Suspended + expected.Terminated), "every service was activated today");
        Assert.That(day.GetProperty("subscribers").GetInt64(), Is.EqualTo(expected.Active + expected.Suspended));
        Assert.That(day.GetProperty("arpu").GetDecimal(), Is.EqualTo(Math.Round(expected.Mrr / (expected.Active + expected.Suspended), 2, MidpointRounding.AwayFromZero)));
        Assert.That(SumMoney(revenue, "newMrr"), Is.EqualTo(expected.NewMrr), "new MRR: the activations' prices");
        Assert.That(SumMoney(revenue, "churnedMrr"), Is.EqualTo(expected.ChurnedMrr), "churned MRR: the leaver's yearly price a month");
        Assert.That(SumMoney(revenue, "expansionMrr"), Is.EqualTo(30.00m), "basic -> fast");
        Assert.That(SumMoney(revenue, "contractionMrr"), Is.EqualTo(30.00m), "fast -> basic");
        Assert.That(First(revenue).GetProperty("mrrAtStart").GetDecimal() + SumMoney(revenue, "newMrr") + SumMoney(revenue, "expansionMrr")
            - SumMoney(revenue, "contractionMrr") - SumMoney(revenue, "churnedMrr"), Is.EqualTo(expected.Mrr), "MRR's movements add up");
        Assert.That(plans.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("planId").GetGuid(), p.GetProperty("active").GetInt64(),
            p.GetProperty("suspended").GetInt64(), p.GetProperty("mrr").GetDecimal())).OrderBy(p => p.Item1), Is.EqualTo(expected.Plans.OrderBy(p => p.Item1)));

        var money = Last(collections);
        Assert.That(SumMoney(collections, "invoiced"), Is.EqualTo(expected.Invoiced));
        Assert.That(SumMoney(collections, "collected"), Is.EqualTo(expected.Collected));
        Assert.That(SumMoney(collections, "credited"), Is.EqualTo(credited));
        Assert.That(money.GetProperty("outstanding").GetDecimal(), Is.EqualTo(expected.Outstanding));
        Assert.That(money.GetProperty("overdue0To30").GetDecimal(), Is.EqualTo(expected.Outstanding), "due at once (payment terms 0): overdue by the day's end");
        Assert.That((money.GetProperty("notDue").GetDecimal(), money.GetProperty("overdue31To60").GetDecimal()), Is.EqualTo((0m, 0m)));
        Assert.That(money.GetProperty("overdueInvoices").GetInt64(), Is.EqualTo(2L), "the part-paid and the credited invoice");
        Assert.That(money.GetProperty("daysSalesOutstanding").GetDouble(), Is.EqualTo((double)Math.Round(expected.Outstanding / expected.Invoiced * 90, 1, MidpointRounding.AwayFromZero)).Within(0.001));

        return expected;
    }

    /// <summary>
    /// A month of a tenant in Kolkata (UTC+5:30) published straight onto the fleet's broker as the services would, newest
    /// first and every message twice: the figures are those of the month as it happened, once.
    /// </summary>
    [Test]
    public async Task Analytics_counts_each_event_once_whatever_its_order_and_repeats()
    {
        var tenant = Guid.NewGuid();
        var (s1, s2, s3) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (customer, plan, device) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (i1, i2) = (Guid.NewGuid(), Guid.NewGuid());
        static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);
        var payment1 = Guid.NewGuid();
        IIntegrationEvent[] month =
        [
            new TenantCreated(tenant, $"kolkata-{tenant:N}"[..20], "Kolkata ISP", "standard", "INR", "Asia/Kolkata", At(1, 0)),
            new ServiceActivated(tenant, Guid.NewGuid(), s1, customer, plan, 1, "100.64.0.1", Guid.NewGuid(), At(1, 10, 5), 50m, "INR", "monthly"),
            // 20:00 UTC is 01:30 on the 2nd in Kolkata.
            new ServiceActivated(tenant, Guid.NewGuid(), s2, customer, plan, 1, "100.64.0.2", Guid.NewGuid(), At(1, 20), 1200m, "INR", "yearly"),
            new ServiceActivated(tenant, Guid.NewGuid(), s3, customer, plan, 1, "100.64.0.3", Guid.NewGuid(), At(3, 9), 9m, "USD", "monthly"),
            new ProvisioningFailed(tenant, Guid.NewGuid(), Guid.NewGuid(), customer, "ip", "pool exhausted", At(3, 9)),
            new ServicePlanChanged(tenant, Guid.NewGuid(), s1, customer, plan, 1, plan, 2, 80m, "INR", "monthly", At(5, 12)),
            new ServiceSuspended(tenant, s2, customer, "unpaid", At(10, 8)),
            new ServiceResumed(tenant, s2, customer, At(12, 8)),
            new ServiceTerminated(tenant, s2, customer, "moved", At(20, 8)),
            new InvoiceIssued(tenant, i1, Guid.NewGuid(), customer, "INV-1", 50m, 50m, "INR", At(9, 0), At(2, 6)),
            new InvoiceIssued(tenant, i2, Guid.NewGuid(), customer, "INV-2", 100m, 100m, "INR", At(9, 0), At(2, 6)),
            new PaymentReceived(tenant, payment1, Guid.NewGuid(), customer, 30m, "INR", "cash", At(4, 6)),
            new InvoiceBalanceChanged(tenant, i1, customer, 30m, 20m, "INR", "partially_paid", "payment", payment1, null, At(4, 6)),
            new PaymentReceived(tenant, Guid.NewGuid(), Guid.NewGuid(), customer, 20m, "INR", "cash", At(15, 6)),
            new InvoiceBalanceChanged(tenant, i1, customer, 20m, 0m, "INR", "paid", "payment", null, null, At(15, 6)),
            new InvoiceSettled(tenant, i1, customer, "paid", At(15, 6)),
            new DeviceDown(tenant, device, "olt-1", "192.0.2.1", "timeout", At(6, 10)),
            new DeviceDown(tenant, device, "olt-1", "192.0.2.1", "timeout", At(6, 10, 30)),
            new DeviceUp(tenant, device, "olt-1", "192.0.2.1", At(6, 12)),
        ];
        var broker = RabbitMqEndpoint.Parse(_fleet.MessagingConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
        }));
        await bus.StartAsync();
        try
        {
            var sent = month.Select(m => (Message: m, Id: Guid.NewGuid())).ToList();
            foreach (var (message, id) in Enumerable.Reverse(sent).Concat(sent))
                await bus.Publish(message, message.GetType(), c => c.MessageId = id);
        }
        finally
        {
            await bus.StopAsync();
        }

        JsonElement revenue = default, subscribers = default, collections = default, network = default;
        await ProvisioningFleet.EventuallyAsync(async () =>
        {
            revenue = await AnalyticsAsync(tenant, "revenue?from=2026-03-01&to=2026-04-30&grain=month");
            subscribers = await AnalyticsAsync(tenant, "subscribers?from=2026-03-01&to=2026-04-30&grain=month");
            collections = await AnalyticsAsync(tenant, "collections?from=2026-03-01&to=2026-04-30&grain=month");
            network = await AnalyticsAsync(tenant, "network?from=2026-03-06&to=2026-03-06");
            return revenue.GetProperty("timeZone").GetString() == "Asia/Kolkata" && First(revenue).GetProperty("churnedMrr").GetDecimal() == 100m
                && First(collections).GetProperty("collected").GetDecimal() == 50m && First(network).GetProperty("downtimeMinutes").GetDouble() == 120
                && Last(subscribers).GetProperty("terminated").GetInt64() == 1;
        }, "analytics to hold the month", TimeSpan.FromSeconds(30));

        // MRR: new 50 + 100 (1,200 a year); the upgrade +30; the leaver's 100 churned; the USD service is not the tenant's currency.
        var march = First(revenue);
        Assert.That((march.GetProperty("mrrAtStart").GetDecimal(), march.GetProperty("newMrr").GetDecimal(), march.GetProperty("expansionMrr").GetDecimal(),
            march.GetProperty("contractionMrr").GetDecimal(), march.GetProperty("churnedMrr").GetDecimal(), march.GetProperty("mrr").GetDecimal()),
            Is.EqualTo((0m, 150m, 30m, 0m, 100m, 80m)));
        Assert.That(march.GetProperty("logoChurn").ValueKind, Is.EqualTo(JsonValueKind.Null), "no subscribers at the start of March");
        var april = Last(revenue);
        Assert.That((april.GetProperty("mrrAtStart").GetDecimal(), april.GetProperty("mrr").GetDecimal(), april.GetProperty("subscribersAtStart").GetInt64(),
            april.GetProperty("logoChurn").GetDouble()), Is.EqualTo((80m, 80m, 1L, 0d)), "s1 subscribes on (s3, priced in USD, is no subscriber of the INR figures)");
        Assert.That((First(subscribers).GetProperty("activated").GetInt64(), First(subscribers).GetProperty("churned").GetInt64(),
            First(subscribers).GetProperty("active").GetInt64(), First(subscribers).GetProperty("terminated").GetInt64()), Is.EqualTo((3L, 1L, 2L, 1L)));

        // The 20:00 UTC activation is the 2nd in Kolkata.
        var days = await AnalyticsAsync(tenant, "subscribers?from=2026-03-01&to=2026-03-02");
        Assert.That(days.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("activated").GetInt64()), Is.EqualTo(new[] { 1L, 1L }));

        // Money: 150 invoiced, 50 collected; i2's 100 outstanding, 22 days overdue at March's end and 52 at April's.
        var (m, a) = (First(collections), Last(collections));
        Assert.That((m.GetProperty("invoices").GetInt64(), m.GetProperty("invoiced").GetDecimal(), m.GetProperty("collected").GetDecimal(), m.GetProperty("outstanding").GetDecimal(),
            m.GetProperty("overdue0To30").GetDecimal(), m.GetProperty("daysSalesOutstanding").GetDouble()), Is.EqualTo((2L, 150m, 50m, 100m, 100m, 60d)));
        Assert.That((a.GetProperty("invoiced").GetDecimal(), a.GetProperty("outstanding").GetDecimal(), a.GetProperty("overdue0To30").GetDecimal(),
            a.GetProperty("overdue31To60").GetDecimal()), Is.EqualTo((0m, 100m, 0m, 100m)));

        // The device: down 10:00 (again at 10:30, no new outage), up at 12:00: two hours.
        Assert.That((First(network).GetProperty("devicesUp").GetInt64(), First(network).GetProperty("devicesDown").GetInt64()), Is.EqualTo((1L, 0L)));
        var downtime = await AnalyticsAsync(tenant, "downtime?from=2026-03-01&to=2026-03-31&grain=month");
        Assert.That(downtime.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("deviceId").GetGuid(), p.GetProperty("downtimeMinutes").GetDouble(),
            p.GetProperty("outages").GetInt64())), Is.EqualTo(new[] { (device, 120d, 1L) }));
        var failures = await _fleet.CallAsync<JsonElement>("analytics", HttpMethod.Get, "/api/v1/summary?date=2026-03-03", tenant);
        Assert.That(failures.GetProperty("failureReasons").EnumerateArray().Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("orders").GetInt64())),
            Is.EqualTo(new[] { ("ip: pool exhausted", 1L) }));
    }

    sealed record Expected(DateOnly Today, long Active, long Suspended, long Terminated, decimal Mrr, decimal NewMrr, decimal ChurnedMrr,
        IReadOnlyList<(Guid, long, long, decimal)> Plans, decimal Invoiced, decimal Collected, decimal Outstanding);

    /// <summary>The figures as services and billing state them, computed here: MRR from each service's plan version, money from invoices and payments.</summary>
    async Task<Expected> ExpectedAsync(Guid tenant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var services = (await _fleet.CallAsync<JsonElement>("services", HttpMethod.Get, "/api/v1/services?limit=500", tenant)).GetProperty("items").EnumerateArray().ToList();
        var orders = (await _fleet.CallAsync<JsonElement>("services", HttpMethod.Get, "/api/v1/service-orders?limit=500", tenant)).GetProperty("items").EnumerateArray().ToList();
        var prices = new Dictionary<(Guid, int), decimal>();
        async Task<decimal> MonthlyAsync(Guid plan, int version)
        {
            if (!prices.TryGetValue((plan, version), out var monthly))
            {
                var terms = (await _fleet.CallAsync<PlanVersionResponse>("services", HttpMethod.Get, $"/api/v1/plans/{plan}/versions/{version}", tenant)).Terms;
                prices[(plan, version)] = monthly = terms.Price / terms.BillingPeriod switch { "quarterly" => 3, "yearly" => 12, _ => 1 };
            }
            return monthly;
        }
        var live = new List<(Guid Plan, string Status, decimal Monthly)>();
        decimal churned = 0;
        foreach (var service in services)
        {
            var monthly = await MonthlyAsync(service.GetProperty("planId").GetGuid(), service.GetProperty("planVersion").GetInt32());
            var status = service.GetProperty("status").GetString()!;
            if (status == "terminated")
                churned += monthly;
            else
                live.Add((service.GetProperty("planId").GetGuid(), status, monthly));
        }
        decimal started = 0;
        foreach (var order in orders)
            started += await MonthlyAsync(order.GetProperty("planId").GetGuid(), order.GetProperty("planVersion").GetInt32());
        var invoices = (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/invoices?limit=500", tenant)).GetProperty("items").EnumerateArray().ToList();
        var payments = (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/payments?limit=500", tenant)).GetProperty("items").EnumerateArray()
            .Where(p => p.GetProperty("status").GetString() == "succeeded").ToList();
        static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
        return new Expected(today, live.Count(s => s.Status == "active"), live.Count(s => s.Status == "suspended"), services.Count - live.Count,
            Cents(live.Sum(s => s.Monthly)), Cents(started), Cents(churned),
            [.. live.GroupBy(s => s.Plan).Select(g => (g.Key, (long)g.Count(s => s.Status == "active"), (long)g.Count(s => s.Status == "suspended"), Cents(g.Sum(s => s.Monthly))))],
            invoices.Sum(i => i.GetProperty("total").GetDecimal()), payments.Sum(p => p.GetProperty("amount").GetDecimal()),
            invoices.Sum(i => i.GetProperty("amountDue").GetDecimal()));
    }

    static JsonElement First(JsonElement series) => series.GetProperty("points")[0];

    static JsonElement Last(JsonElement series) => series.GetProperty("points").EnumerateArray().Last();

    static long Sum(JsonElement series, string field) => series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty(field).GetInt64());

    static decimal SumMoney(JsonElement series, string field) => series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty(field).GetDecimal());

    Task<JsonElement> AnalyticsAsync(Guid tenant, string series) => _fleet.CallAsync<JsonElement>("analytics", HttpMethod.Get, $"/api/v1/series/{series}", tenant);

    /// <summary>A series as CSV, read by a CSV parser (RFC 4180 quoting), rows of fields.</summary>
    async Task<List<string[]>> CsvAsync(Guid tenant, string series)
    {
        using var response = await _fleet.SendAsync("analytics", HttpMethod.Get, $"/api/v1/series/{series}", tenant);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.EndWith("\r\n"), "RFC 4180 lines end in CRLF");
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
            rows.Add(parser.ReadFields()!);
        Assert.That(rows.Select(r => r.Length).Distinct().Count(), Is.EqualTo(1), "every row as long as the header");
        return rows;
    }

    async Task<Guid> PlatformTenantAsync(string timeZone, string currency)
    {
        var admin = await TrustedIdentity.TokenAsync(null, "super_admin",
            [new Permission("tenants", "read", PermissionScope.Global), new Permission("tenants", "write", PermissionScope.Global)]);
        var client = new TenantClient(_fleet.Gateway, "super_admin", []);
        using var created = await client.SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", admin, new
        {
            slug = $"isp-{Guid.NewGuid():N}"[..20], name = "Analytics ISP", plan = "standard",
            settings = new
            {
                currency, timeZone, billingDay = 1, taxRates = Array.Empty<object>(),
                dunning = new { reminderDays = new[] { 2 }, suspendAfterDays = 300, terminateAfterDays = 360 },
            },
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var tenant = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await ProvisioningFleet.EventuallyAsync(async () =>
            (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/billing-settings", tenant)).GetProperty("settingsVersion").GetInt32() >= 1,
            "billing has the tenant's settings");
        return tenant;
    }

    async Task<Guid> PlanAsync(Guid tenant, string code, PlanTerms terms) =>
        (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", tenant, new CreatePlanRequest(code, code, terms))).Id;

    Task<OrderResponse> OrderAsync(Guid tenant, Guid plan, Guid pool, string username) =>
        _fleet.CallAsync<OrderResponse>("services", HttpMethod.Post, "/api/v1/service-orders", tenant, new CreateOrderRequest(Guid.NewGuid(), plan, pool, username),
            Guid.NewGuid().ToString());

    async Task UntilServiceAsync(Guid tenant, Guid order, string status) =>
        await ProvisioningFleet.EventuallyAsync(async () =>
            (await _fleet.CallAsync<OrderResponse>("services", HttpMethod.Get, $"/api/v1/service-orders/{order}", tenant)).ServiceStatus == status,
            $"service of order {order} {status}", TimeSpan.FromSeconds(30));

    async Task<JsonElement> InvoiceNowAsync(Guid tenant, Guid customer, int charges)
    {
        var account = (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/accounts?customerId={customer}", tenant)).GetProperty("items")[0].GetProperty("id").GetGuid();
        await ProvisioningFleet.EventuallyAsync(async () => await _fleet.ScalarAsync<long>("billing",
            "select count(*) from pending_charges where account_id = @account and invoice_id is null", new { account }) == charges, $"the account has {charges} charges to invoice");
        return await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", tenant);
    }

    Task PayAsync(Guid tenant, Guid customer, decimal amount) =>
        _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/payments", tenant, new { customerId = customer, amount, method = "bank_transfer", reference = $"BANK-{Guid.NewGuid():N}"[..16] },
            Guid.NewGuid().ToString());
}
