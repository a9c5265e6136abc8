using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Auth;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>
/// Billing across real processes (billing, services, networking, ops, the gateway) on a real broker and PostgreSQL,
/// with a real FreeRADIUS: billing cycles that invoice each subscription once however often they run or die, payments
/// through both providers, dunning from reminder to suspension (radtest rejects) to restoration (radtest accepts) and
/// termination, and who may read which invoice. A "day" of payment terms and dunning lasts one second here.
/// </summary>
public partial class BillingTests
{
    static readonly PlanTerms Fibre = new(50, 10, 30.00m, "USD");

    ProvisioningFleet _fleet = null!;
    FreeRadiusServer _radius = null!;
    readonly Guid _tenant = Guid.NewGuid();
    Guid _plan;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fleet = await ProvisioningFleet.StartAsync("billing", TimeSpan.FromSeconds(30), new Dictionary<string, string>
        {
            ["Billing__DayLength"] = "00:00:01",
            ["Billing__OverdueSweepInterval"] = "00:00:00.500",
            ["Billing__CycleBatchSize"] = "20",
        }, platform: true, events: true, analytics: true);
        _radius = await FreeRadiusServer.StartAsync(_fleet.ConnectionString("networking"));
        _plan = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest("fibre-50", "Fibre 50", Fibre))).Id;
        // Invoices fall due at once (the policy's days still count from the due date).
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Put, "/api/v1/billing-settings", _tenant, new { invoiceSuspended = true, paymentTermsDays = 0 });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_radius is not null)
            await _radius.DisposeAsync();
        await _fleet.DisposeAsync();
    }

    // First, on a quiet fleet: billing's outbox is FIFO, and the 3,000 InvoiceIssued of the cycle test would delay the
    // dunning's events by seconds (which a day of one second turns into skipped days).
    [Test]
    [Order(1)]
    public async Task Dunning_reminds_suspends_restores_on_payment_and_terminates_the_unpaid()
    {
        var pool = await _fleet.PoolAsync(_tenant, "100.70.0.0/24");
        var payer = await ActiveServiceAsync(pool, "late.payer");
        var never = await ActiveServiceAsync(pool, "never.pays");
        var payerInvoice = await InvoiceNowAsync(payer.CustomerId);
        var neverInvoice = await InvoiceNowAsync(never.CustomerId);
        Assert.That((await InvoiceAsync(payerInvoice)).GetProperty("lines")[0].GetProperty("kind").GetString(), Is.EqualTo("proration_charge"));
        Assert.That((await RadTestAsync(payer.Id)).Code, Is.EqualTo("Access-Accept"));

        // Day 0: overdue. Day 3: reminded. Day 14: suspended, and RADIUS rejects the subscriber.
        await UntilInvoiceAsync(payerInvoice, i => i.GetProperty("status").GetString() == "overdue", TimeSpan.FromSeconds(10));
        await UntilInvoiceAsync(payerInvoice, i => i.GetProperty("dunningStage").GetString() is "reminded" or "suspended", TimeSpan.FromSeconds(20));
        await UntilServiceAsync(payer.Id, "suspended", TimeSpan.FromSeconds(30));
        Assert.That((await RadTestAsync(payer.Id)).Code, Is.EqualTo("Access-Reject"));

        // A payment settles the invoice and the subscriber is let in again within a minute.
        var due = (await InvoiceAsync(payerInvoice)).GetProperty("amountDue").GetDecimal();
        var paid = DateTime.UtcNow;
        await PayAsync(payer.CustomerId, due, "bank_transfer", reference: "BANK-REF-1");
        Assert.That((await InvoiceAsync(payerInvoice)).GetProperty("status").GetString(), Is.EqualTo("paid"));
        await ProvisioningFleet.EventuallyAsync(async () => (await RadTestAsync(payer.Id)).Code == "Access-Accept", "radtest accepts the paying subscriber again",
            TimeSpan.FromSeconds(60));
        TestContext.Progress.WriteLine($"payment to Access-Accept: {(DateTime.UtcNow - paid).TotalSeconds:F1} s");
        await UntilServiceAsync(payer.Id, "active", TimeSpan.FromSeconds(10));

        // Day 30 unpaid: terminated, the subscription ends, the address goes back to the pool, RADIUS forgets the subscriber.
        await UntilServiceAsync(never.Id, "terminated", TimeSpan.FromSeconds(40));
        await ProvisioningFleet.EventuallyAsync(async () =>
            await _fleet.ScalarAsync<string?>("billing", "select status from subscriptions where service_id = @id", new { id = never.ServiceId }) == "cancelled"
            && await _fleet.ScalarAsync<long>("networking", "select count(*) from ip_allocations where pool_id = @pool", new { pool }) == 1
            && await _fleet.ScalarAsync<string?>("networking", "select username from radcheck where username = 'never.pays'") is null,
            "termination ended the subscription, released the address and removed the subscriber");
        Assert.That((await InvoiceAsync(neverInvoice)).GetProperty("dunningStage").GetString(), Is.EqualTo("terminated"));
        // The paid invoice's saga ended: no further step touched the paying subscriber.
        Assert.That((await GetOrderAsync(payer.Id)).ServiceStatus, Is.EqualTo("active"));
    }

    [Test]
    public async Task A_cycle_run_twice_and_killed_halfway_invoices_each_subscription_once_with_gapless_numbers()
    {
        var tenant = Guid.NewGuid();
        const int Subscriptions = 3000;
        await _fleet.SeedSubscriptionsAsync(tenant, Subscriptions);
        var periodStart = new DateOnly(2027, 1, 1);

        var started = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart });
        var cycle = started.GetProperty("id").GetGuid();
        await ProvisioningFleet.EventuallyAsync(async () => await BatchesAsync(cycle) >= 3, "the cycle is under way", TimeSpan.FromSeconds(60));
        await _fleet.KillAsync("billing");
        var before = await BatchesAsync(cycle);
        await _fleet.StartAsync("billing");
        // Started again, twice, while it resumes.
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart });
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart });
        await ProvisioningFleet.EventuallyAsync(async () => await _fleet.ScalarAsync<string>("billing", "select status from billing_cycles where id = @cycle", new { cycle }) == "completed",
            "the cycle completes", TimeSpan.FromSeconds(120));
        // And once more after it completed.
        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart });
        await Task.Delay(2000);

        TestContext.Progress.WriteLine($"killed after batch {before} of {Subscriptions / 20}");
        Assert.That(before, Is.LessThan(Subscriptions / 20), "billing was killed before the cycle finished");
        var counts = (await _fleet.QueryAsync<(long Invoices, long Lines, long Subscriptions, long MinSequence, long MaxSequence, long Distinct)>("billing", """
            select (select count(*) from invoices where tenant_id = @tenant),
                   (select count(*) from invoice_lines where tenant_id = @tenant and kind = 'recurring'),
                   (select count(distinct subscription_id) from invoice_lines where tenant_id = @tenant and kind = 'recurring'),
                   (select min(sequence) from invoices where tenant_id = @tenant),
                   (select max(sequence) from invoices where tenant_id = @tenant),
                   (select count(distinct sequence) from invoices where tenant_id = @tenant)
            """, new { tenant })).Single();
        Assert.That(counts, Is.EqualTo(((long)Subscriptions, (long)Subscriptions, (long)Subscriptions, 1L, (long)Subscriptions, (long)Subscriptions)),
            "one invoice and one line per subscription, numbered 1..n without a gap");
        Assert.That(await _fleet.ScalarAsync<long>("billing", "select count(*) from subscriptions where tenant_id = @tenant and billed_through = '2027-01-31'", new { tenant }),
            Is.EqualTo(Subscriptions));
        Assert.That(await _fleet.ScalarAsync<decimal>("billing", "select sum(total) from invoices where tenant_id = @tenant", new { tenant }), Is.EqualTo(Subscriptions * 30.00m));
        var page = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/invoices?limit=1", tenant);
        Assert.That(page.GetProperty("items")[0].GetProperty("number").GetString(), Is.EqualTo($"INV-{Subscriptions:D6}"));
    }

    [Test]
    public async Task A_tenants_billing_settings_reach_billing_and_its_cycle_is_scheduled_in_ops_on_its_billing_day()
    {
        var admin = await TrustedIdentity.TokenAsync(null, "super_admin",
            [new Permission("tenants", "read", PermissionScope.Global), new Permission("tenants", "write", PermissionScope.Global)]);
        var client = new TenantClient(_fleet.Gateway, "super_admin", []);
        object Settings(int billingDay) => new
        {
            currency = "KWD",
            timeZone = "Asia/Kuwait",
            billingDay,
            taxRates = new[] { new { name = "VAT", percent = 5m, inclusive = false } },
            dunning = new { reminderDays = new[] { 2 }, suspendAfterDays = 10, terminateAfterDays = 40 },
        };
        using var created = await client.SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", admin,
            new { slug = $"isp-{Guid.NewGuid():N}"[..20], name = "Billing ISP", plan = "standard", settings = Settings(10) });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var tenant = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await UntilScheduledAsync(tenant, 1, "0 0 0 10 * ?");
        var settings = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/billing-settings", tenant);
        Assert.That((settings.GetProperty("currency").GetString(), settings.GetProperty("timeZone").GetString(), settings.GetProperty("billingDay").GetInt32(),
            settings.GetProperty("taxRates")[0].GetProperty("percent").GetDecimal(), settings.GetProperty("suspendAfterDays").GetInt32()),
            Is.EqualTo(("KWD", "Asia/Kuwait", 10, 5m, 10)));

        using (var changed = await client.SendAsync(HttpMethod.Put, $"/api/v1/platform/tenants/{tenant}/settings", admin, Settings(20)))
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        await UntilScheduledAsync(tenant, 2, "0 0 0 20 * ?");
    }

    /// <summary>Billing holds settings version <paramref name="version"/> and ops the tenant's recurring cycle with <paramref name="cron"/> in its zone.</summary>
    async Task UntilScheduledAsync(Guid tenant, int version, string cron) =>
        await ProvisioningFleet.EventuallyAsync(async () =>
            (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, "/api/v1/billing-settings", tenant)).GetProperty("settingsVersion").GetInt32() == version
            && (await _fleet.QueryAsync<(string Cron, string Zone)>("ops", "select cron, time_zone from scheduled_messages where schedule_id = @id",
                new { id = $"billing-cycle-{tenant:N}" })).SingleOrDefault() == (cron, "Asia/Kuwait"),
            $"billing has version {version} of the settings and ops the schedule {cron}");

    [Test]
    public async Task A_plan_change_of_a_running_service_reapplies_its_rate_and_prorates_the_invoiced_period()
    {
        var pool = await _fleet.PoolAsync(_tenant, "100.71.0.0/24");
        var service = await ActiveServiceAsync(pool, "upgrader");
        var faster = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", _tenant,
            new CreatePlanRequest("fibre-200", "Fibre 200", new PlanTerms(200, 40, 60.00m, "USD")))).Id;

        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{service.ServiceId}/change-plan", _tenant, new { planId = faster });

        // Activated and changed today, in the tenant's month (billing day 1): the activation charged the rest of the month
        // at 30.00; the change credits that part and charges it at 60.00.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = new DateOnly(today.Year, today.Month, 1);
        var end = start.AddMonths(1).AddDays(-1);
        decimal Rest(decimal price) => Math.Round(price * (end.DayNumber - today.DayNumber + 1) / (end.DayNumber - start.DayNumber + 1), 2, MidpointRounding.AwayFromZero);
        IReadOnlyList<(string Kind, decimal Amount)> charges = [];
        await ProvisioningFleet.EventuallyAsync(async () => (charges = await _fleet.QueryAsync<(string, decimal)>("billing",
            "select kind, amount from pending_charges where service_id = @id order by created_at, kind desc", new { id = service.ServiceId })).Count == 3,
            "the activation, the credit and the charge of the change");
        Assert.That(charges, Is.EqualTo(new[] { ("proration_charge", Rest(30.00m)), ("proration_credit", -Rest(30.00m)), ("proration_charge", Rest(60.00m)) }));
        var subscription = (await _fleet.QueryAsync<(string PlanName, decimal Price)>("billing", "select plan_name, price from subscriptions where service_id = @id",
            new { id = service.ServiceId })).Single();
        Assert.That(subscription, Is.EqualTo(("Fibre 200", 60.00m)));
        await ProvisioningFleet.EventuallyAsync(async () => (await RadTestAsync(service.Id)).Attributes.GetValueOrDefault("Mikrotik-Rate-Limit") == "40M/200M",
            "RADIUS answers the new plan's rate");

        // Its customer sees it; another customer of the tenant sees no service and not this one.
        var client = new TenantClient(_fleet.Gateway, "customer", []);
        var owner = await TrustedIdentity.TokenAsync(_tenant, "customer", [new Permission("services", "read", PermissionScope.Own)], service.CustomerId);
        var stranger = await TrustedIdentity.TokenAsync(_tenant, "customer", [new Permission("services", "read", PermissionScope.Own)], Guid.NewGuid());
        Assert.That((await ReadAsync(client, owner, "/api/v1/services/services")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()),
            Is.EqualTo(new[] { service.ServiceId }));
        Assert.That((await ReadAsync(client, stranger, "/api/v1/services/services")).GetProperty("total").GetInt64(), Is.Zero);
        using (var other = await client.SendAsync(HttpMethod.Get, $"/api/v1/services/services/{service.ServiceId}", stranger))
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // Once more with the same plan: nothing new.
        await _fleet.CallAsync<JsonElement>("services", HttpMethod.Post, $"/api/v1/services/{service.ServiceId}/change-plan", _tenant, new { planId = faster });
        await Task.Delay(1000);
        Assert.That(await _fleet.ScalarAsync<long>("billing", "select count(*) from pending_charges where service_id = @id", new { id = service.ServiceId }), Is.EqualTo(3));
    }

    [Test]
    public async Task A_tenant_setting_decides_whether_a_suspended_subscription_is_still_invoiced()
    {
        var tenant = Guid.NewGuid();
        await _fleet.SeedSubscriptionsAsync(tenant, 2);
        var suspended = await _fleet.ScalarAsync<Guid>("billing",
            "update subscriptions set suspended = true where id = (select id from subscriptions where tenant_id = @tenant order by id limit 1) returning service_id", new { tenant });

        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Put, "/api/v1/billing-settings", tenant, new { invoiceSuspended = false, paymentTermsDays = 14 });
        await CycleAsync(tenant, new DateOnly(2027, 1, 1));
        Assert.That(await InvoicedServicesAsync(tenant, new DateOnly(2027, 1, 1)), Has.Count.EqualTo(1).And.Not.Contains(suspended), "the suspended one is not invoiced");

        await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Put, "/api/v1/billing-settings", tenant, new { invoiceSuspended = true, paymentTermsDays = 14 });
        await CycleAsync(tenant, new DateOnly(2027, 2, 1));
        Assert.That(await InvoicedServicesAsync(tenant, new DateOnly(2027, 2, 1)), Has.Count.EqualTo(2).And.Contains(suspended),
            "with the setting on, the suspended one is invoiced for February too (January, skipped while it was off, is not charged after the fact)");
    }

    async Task CycleAsync(Guid tenant, DateOnly periodStart)
    {
        var cycle = (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/billing-cycles", tenant, new { periodStart })).GetProperty("id").GetGuid();
        await ProvisioningFleet.EventuallyAsync(async () => await _fleet.ScalarAsync<string?>("billing", "select status from billing_cycles where id = @cycle", new { cycle }) == "completed",
            $"the cycle of {periodStart} completes");
    }

    async Task<IReadOnlyList<Guid>> InvoicedServicesAsync(Guid tenant, DateOnly periodStart) => await _fleet.QueryAsync<Guid>("billing",
        "select service_id from invoice_lines where tenant_id = @tenant and kind = 'recurring' and period_start = @start", new { tenant, start = periodStart.ToDateTime(TimeOnly.MinValue) });

    [Test]
    public async Task Card_payments_decline_retry_transient_failures_and_never_charge_twice()
    {
        var tenant = Guid.NewGuid();
        var customer = Guid.NewGuid();
        var account = await AccountAsync(tenant, customer, "USD");
        await ChargeAsync(tenant, account, "Installation", 49.99m);
        var invoice = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", tenant);
        var invoiceId = invoice.GetProperty("id").GetGuid();
        Assert.That((invoice.GetProperty("number").GetString(), invoice.GetProperty("total").GetDecimal()), Is.EqualTo(("INV-000001", 49.99m)));

        var declined = await CardAsync(tenant, account, 49.99m, "4000000000000002");
        Assert.That((declined.GetProperty("status").GetString(), declined.GetProperty("failureReason").GetString()), Is.EqualTo(("declined", "card_declined")));
        Assert.That(await DueAsync(tenant, invoiceId), Is.EqualTo(49.99m), "a declined card pays nothing");

        var transient = await CardAsync(tenant, account, 20.00m, "4000000000000119");
        Assert.That((transient.GetProperty("status").GetString(), transient.GetProperty("attempts").GetInt32()), Is.EqualTo(("succeeded", 3)),
            "two processing errors retried, approved on the third attempt");
        Assert.That(await DueAsync(tenant, invoiceId), Is.EqualTo(29.99m));

        var failing = await CardAsync(tenant, account, 29.99m, "4000000000000341");
        Assert.That((failing.GetProperty("status").GetString(), failing.GetProperty("attempts").GetInt32()), Is.EqualTo(("failed", 4)));
        Assert.That(await DueAsync(tenant, invoiceId), Is.EqualTo(29.99m), "a failed charge pays nothing");

        // The same payment posted three times at once: one payment, one charge at the processor.
        var key = Guid.NewGuid().ToString();
        var body = CardBody(account, 50.00m, "4242424242424242");
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _fleet.SendAsync("billing", HttpMethod.Post, "/api/v1/payments", tenant, body, key)));
        var ids = new HashSet<Guid>();
        foreach (var answer in answers)
        {
            Assert.That(answer.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await answer.Content.ReadAsStringAsync());
            ids.Add((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        Assert.That(ids, Has.Count.EqualTo(1));
        Assert.That(await _fleet.ScalarAsync<long>("billing", "select count(*) from sandbox_card_charges where charge_key = @k", new { k = $"{tenant:N}:{key}" }), Is.EqualTo(1));
        using (var reused = await _fleet.SendAsync("billing", HttpMethod.Post, "/api/v1/payments", tenant, CardBody(account, 51.00m, "4242424242424242"), key))
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        using (var keyless = await _fleet.SendAsync("billing", HttpMethod.Post, "/api/v1/payments", tenant, body))
            Assert.That(keyless.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        // 50.00 paid the 29.99 left; 20.01 is credit, which the next invoice takes.
        Assert.That((await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/invoices/{invoiceId}", tenant)).GetProperty("status").GetString(), Is.EqualTo("paid"));
        Assert.That(await CreditAsync(tenant, account), Is.EqualTo(20.01m));
        await ChargeAsync(tenant, account, "Router", 15.00m);
        var second = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", tenant);
        Assert.That((second.GetProperty("number").GetString(), second.GetProperty("status").GetString(), second.GetProperty("amountPaid").GetDecimal()),
            Is.EqualTo(("INV-000002", "paid", 15.00m)));
        Assert.That(await CreditAsync(tenant, account), Is.EqualTo(5.01m));

        // A refund as a credit note adds to the credit; money in = invoices paid + credit, to the cent.
        var note = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/credit-notes", tenant,
            new { accountId = account, amount = 2.50m, reason = "Outage on 3 June", invoiceId = (Guid?)null, paymentId = (Guid?)null }, Guid.NewGuid().ToString());
        Assert.That(note.GetProperty("number").GetString(), Is.EqualTo("CN-000001"));
        Assert.That(await CreditAsync(tenant, account), Is.EqualTo(7.51m));
        var paidIn = await _fleet.ScalarAsync<decimal>("billing", "select coalesce(sum(amount), 0) from payments where tenant_id = @tenant and status = 'succeeded'", new { tenant });
        var invoiced = await _fleet.ScalarAsync<decimal>("billing", "select sum(total) from invoices where tenant_id = @tenant", new { tenant });
        Assert.That(paidIn + 2.50m, Is.EqualTo(invoiced + await CreditAsync(tenant, account)));
    }

    [Test]
    public async Task A_customer_reads_only_their_own_invoices_and_a_clerk_nothing_of_another_tenant()
    {
        var tenant = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var aliceInvoice = await IssuedInvoiceAsync(tenant, alice);
        var bobInvoice = await IssuedInvoiceAsync(tenant, bob);
        var aliceToken = await TrustedIdentity.TokenAsync(tenant, "customer", [new Permission("billing", "read", PermissionScope.Own)], alice);
        var client = new TenantClient(_fleet.Gateway, "customer", []);

        var mine = await ReadAsync(client, aliceToken, "/api/v1/billing/invoices");
        Assert.That(mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { aliceInvoice }));
        using (var others = await client.SendAsync(HttpMethod.Get, $"/api/v1/billing/invoices/{bobInvoice}", aliceToken))
            Assert.That(others.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using (var asking = await client.SendAsync(HttpMethod.Get, $"/api/v1/billing/invoices?customerId={bob}", aliceToken))
            Assert.That(asking.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using (var accounts = await client.SendAsync(HttpMethod.Get, "/api/v1/billing/accounts", aliceToken))
            Assert.That((await accounts.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt64(), Is.EqualTo(1));
        using (var pay = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", aliceToken, new { customerId = alice, amount = 1m, method = "manual" }))
            Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a customer does not record payments");

        // The portal's "pay by card" (payments:write:own): only by card, only into the customer's own account.
        var payer = await TrustedIdentity.TokenAsync(tenant, "customer",
            [new Permission("billing", "read", PermissionScope.Own), new Permission("payments", "write", PermissionScope.Own)], alice);
        var card = new { number = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" };
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        using (var manual = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", payer, new { amount = 1m, method = "manual" }, headers: key))
            Assert.That(manual.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "a customer pays by card only");
        using (var forBob = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", payer, new { customerId = bob, amount = 1m, method = "card", card }, headers: key))
            Assert.That(forBob.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "not into another customer's account");
        using (var byAccount = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", payer, new { accountId = Guid.NewGuid(), amount = 1m, method = "card", card }, headers: key))
            Assert.That(byAccount.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "nor into an account named by id");
        using (var own = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", payer, new { amount = 1m, method = "card", card }, headers: key))
        {
            var paid = await own.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), paid.ToString());
            Assert.That(paid.GetProperty("customerId").GetGuid(), Is.EqualTo(alice));
            Assert.That(paid.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        }
        using (var html = await client.SendAsync(HttpMethod.Get, $"/api/v1/billing/invoices/{aliceInvoice}/html", aliceToken))
        {
            Assert.That(html.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await html.Content.ReadAsStringAsync(), Does.Contain("INV-000001").And.Contain("Amount due"));
        }

        var clerkOfAnother = await TrustedIdentity.TokenAsync(Guid.NewGuid(), "billing_clerk", TrustedIdentity.TenantPermissions("billing", "read", "write"));
        using (var foreign = await client.SendAsync(HttpMethod.Get, $"/api/v1/billing/invoices/{aliceInvoice}", clerkOfAnother))
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ReadAsync(client, clerkOfAnother, "/api/v1/billing/invoices")).GetProperty("total").GetInt64(), Is.Zero);
        using (var foreignPay = await client.SendAsync(HttpMethod.Post, "/api/v1/billing/payments", clerkOfAnother,
            new { customerId = alice, amount = 1m, method = "manual" }, headers: new Dictionary<string, string> { ["Idempotency-Key"] = "x" }))
            Assert.That(foreignPay.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "tenant A's customer is no account of tenant B");
    }

    static async Task<JsonElement> ReadAsync(TenantClient client, string token, string path)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    async Task<Guid> IssuedInvoiceAsync(Guid tenant, Guid customer)
    {
        var account = await AccountAsync(tenant, customer, "EUR");
        await ChargeAsync(tenant, account, "Installation", 25.00m);
        return (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", tenant)).GetProperty("id").GetGuid();
    }

    /// <summary>A billing account as CustomerCreated and a first subscription leave it (seeded: the flow that opens one is tested elsewhere).</summary>
    Task<Guid> AccountAsync(Guid tenant, Guid customer, string currency) => _fleet.ScalarAsync<Guid>("billing",
        "insert into billing_accounts (id, tenant_id, customer_id, currency) values (gen_random_uuid(), @tenant, @customer, @currency) returning id",
        new { tenant, customer, currency });

    Task ChargeAsync(Guid tenant, Guid account, string description, decimal amount) =>
        _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/charges", tenant, new { description, amount }, Guid.NewGuid().ToString());

    static object CardBody(Guid account, decimal amount, string number) => new
    {
        accountId = account,
        amount,
        method = "card",
        card = new { number, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" },
    };

    Task<JsonElement> CardAsync(Guid tenant, Guid account, decimal amount, string number) =>
        _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/payments", tenant, CardBody(account, amount, number), Guid.NewGuid().ToString());

    async Task<decimal> DueAsync(Guid tenant, Guid invoice) =>
        (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/invoices/{invoice}", tenant)).GetProperty("amountDue").GetDecimal();

    Task<decimal> CreditAsync(Guid tenant, Guid account) =>
        _fleet.ScalarAsync<decimal>("billing", "select credit_balance from billing_accounts where id = @account", new { account });

    Task<int> BatchesAsync(Guid cycle) => _fleet.ScalarAsync<int>("billing", "select coalesce((select batches from billing_cycles where id = @cycle), 0)", new { cycle });

    async Task<OrderResponse> ActiveServiceAsync(Guid pool, string username)
    {
        var order = await _fleet.CallAsync<OrderResponse>("services", HttpMethod.Post, "/api/v1/service-orders", _tenant,
            new CreateOrderRequest(Guid.NewGuid(), _plan, pool, username), Guid.NewGuid().ToString());
        await UntilServiceAsync(order.Id, "active", TimeSpan.FromSeconds(30));
        return await GetOrderAsync(order.Id);
    }

    async Task<Guid> InvoiceNowAsync(Guid customer)
    {
        var accounts = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/accounts?customerId={customer}", _tenant);
        var account = accounts.GetProperty("items")[0].GetProperty("id").GetGuid();
        return (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", _tenant)).GetProperty("id").GetGuid();
    }

    Task<JsonElement> InvoiceAsync(Guid invoice) => _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/invoices/{invoice}", _tenant);

    async Task UntilInvoiceAsync(Guid invoice, Func<JsonElement, bool> condition, TimeSpan timeout) =>
        await ProvisioningFleet.EventuallyAsync(async () => condition(await InvoiceAsync(invoice)), $"invoice {invoice}: {await InvoiceAsync(invoice)}", timeout);

    Task PayAsync(Guid customer, decimal amount, string method, string? reference = null) =>
        _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, "/api/v1/payments", _tenant, new { customerId = customer, amount, method, reference }, Guid.NewGuid().ToString());

    Task<OrderResponse> GetOrderAsync(Guid id) => _fleet.CallAsync<OrderResponse>("services", HttpMethod.Get, $"/api/v1/service-orders/{id}", _tenant);

    async Task UntilServiceAsync(Guid order, string status, TimeSpan timeout)
    {
        try
        {
            await ProvisioningFleet.EventuallyAsync(async () => (await GetOrderAsync(order)).ServiceStatus == status, $"service of order {order} {status}", timeout);
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}: {JsonSerializer.Serialize(await GetOrderAsync(order))}\nbilling:\n{_fleet.Tail("billing")}\nservices:\n{_fleet.Tail("services")}");
        }
    }

    async Task<(string Code, IReadOnlyDictionary<string, string> Attributes)> RadTestAsync(Guid order)
    {
        var credentials = await _fleet.CallAsync<JsonElement>("networking", HttpMethod.Get, $"/api/v1/subscribers/{order}/credentials", _tenant);
        return await _radius.AuthenticateAsync(credentials.GetProperty("username").GetString()!, credentials.GetProperty("password").GetString()!);
    }
}
