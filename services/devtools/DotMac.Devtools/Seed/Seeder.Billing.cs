using DotMac.ServiceDefaults.Http;

namespace DotMac.Devtools.Seed;

// Billing: the tenant's payment terms, the billing cycle of the current period, then payments from most subscribers
// (card, bank transfer or cash desk; Idempotency-Key from the seed) while the rest stay unpaid and fall overdue.
public sealed partial class Seeder
{
    static readonly CardDetails SandboxCard = new("4242424242424242", 12, 2039, "123"); // the sandbox processor's approved card

    async Task BillingAsync(SeedReport report, Tenant tenant, Dictionary<int, Customer> customers, Dictionary<int, Order> orders, CancellationToken cancellationToken)
    {
        // Billing hears of the tenant's settings through an event; until then it bills with defaults.
        var settings = await EventuallyAsync(() => client.GetAsync<BillingSettings>("/api/v1/billing/billing-settings", cancellationToken),
            s => s.SettingsVersion >= tenant.SettingsVersion && s.Currency is not null, TimeSpan.FromSeconds(60),
            s => $"billing has settings version {s.SettingsVersion}, platform {tenant.SettingsVersion}", "billing to receive the tenant's settings", cancellationToken);
        var policyChanged = settings.PaymentTermsDays != isp.PaymentTermsDays;
        if (policyChanged)
            settings = await client.PutAsync<BillingSettings>("/api/v1/billing/billing-settings", new BillingPolicy(settings.InvoiceSuspended, isp.PaymentTermsDays), cancellationToken);
        report.Count("billing policy", policyChanged ? 1 : 0, policyChanged ? 0 : 1);

        var cycle = await CycleAsync(report, settings, cancellationToken);
        await InvoiceLateSubscribersAsync(report, customers, orders, cancellationToken);
        var invoices = (await AllAsync<Invoice>("/api/v1/billing/invoices", cancellationToken)).ToLookup(i => i.CustomerId);

        var paid = 0;
        var found = 0;
        var unpaid = 0;
        var payers = isp.Customers.Where(c => orders.ContainsKey(c.Index)).ToList();
        await Parallel.ForEachAsync(payers, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (demo, token) =>
        {
            var open = invoices[customers[demo.Index].Id].Where(i => i.AmountDue > 0 && i.Status is "issued" or "partially_paid" or "overdue").ToList();
            if (!demo.Pays)
            {
                if (open.Count > 0)
                    Interlocked.Increment(ref unpaid);
                return;
            }
            if (open.Count == 0)
            {
                Interlocked.Increment(ref found);
                return;
            }
            foreach (var invoice in open)
            {
                var payment = new PaymentRequest(invoice.AmountDue, demo.PaymentMethod, customers[demo.Index].Id, invoice.Currency,
                    demo.PaymentMethod == "bank_transfer" ? $"BT-{isp.Seed}-{demo.Index:0000}" : null, demo.PaymentMethod == "card" ? SandboxCard : null);
                var (answer, created) = await client.PostForStatusAsync<Payment>("/api/v1/billing/payments", payment, $"seed-{isp.Seed}-payment-{invoice.Id}", token);
                if (answer.Status != "succeeded")
                    throw new SeedException($"The payment of {demo.Email} was {answer.Status}: {answer.FailureReason}.");
                if (created)
                    Interlocked.Increment(ref paid);
                else
                    Interlocked.Increment(ref found);
            }
        });
        report.Count("payments", paid, found);
        report.Note($"{unpaid} subscribers are left unpaid: their invoices are due on receipt (payment terms 0 days), so billing's "
            + "overdue sweep (every minute) marks them overdue and dunning takes its course.");
        progress($"billing: cycle {cycle.PeriodStart:yyyy-MM-dd} with {cycle.Invoices} invoices; {paid} payments made, {unpaid} subscribers left unpaid");

        foreach (var demo in isp.Customers.Where(c => c.PortalLogin && customers[c.Index].PortalStatus == "active" && customers[c.Index].PortalId is not null))
        {
            var plan = isp.Plans.FirstOrDefault(p => p.Code == demo.PlanCode)?.Name ?? "no service";
            var detail = $"{demo.Name}, {plan}, {(demo.Pays ? "pays" : "does not pay (overdue)")}";
            report.Login(new SeedLogin("customer", demo.Kind, customers[demo.Index].PortalId!, demo.Email, DemoCredentials.Password(isp.Seed, demo.Email), detail));
        }
    }

    /// <summary>
    /// Subscribers who became active after this period's cycle ran (a run with more customers than the last, or one
    /// stopped half-way) have their first charge pending: it is invoiced now, as staff would.
    /// </summary>
    async Task InvoiceLateSubscribersAsync(SeedReport report, Dictionary<int, Customer> customers, Dictionary<int, Order> orders, CancellationToken cancellationToken)
    {
        var invoiced = (await AllAsync<Invoice>("/api/v1/billing/invoices", cancellationToken)).Select(i => i.CustomerId).ToHashSet();
        var late = isp.Customers.Where(c => orders.TryGetValue(c.Index, out var o) && o.Status == "active" && !invoiced.Contains(customers[c.Index].Id)).ToList();
        var issued = 0;
        foreach (var demo in late)
        {
            var accounts = await client.GetAsync<Page<BillingAccount>>($"/api/v1/billing/accounts?customerId={customers[demo.Index].Id}&limit=1", cancellationToken);
            if (accounts.Items is not [var account])
                continue;
            try
            {
                await client.PostAsync<Invoice>($"/api/v1/billing/accounts/{account.Id}/invoices", null, cancellationToken);
                issued++;
            }
            catch (GatewayProblemException e) when (e.Code == "invoice.nothing_pending")
            {
                // nothing to bill yet (a zero charge): the next cycle invoices it
            }
        }
        if (late.Count > 0)
            report.Count("late invoices", issued, 0);
    }

    /// <summary>The cycle of the period today falls in (the tenant's billing day, in its time zone), started unless it exists, waited for until completed.</summary>
    async Task<Cycle> CycleAsync(SeedReport report, BillingSettings settings, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var start = new DateOnly(today.Year, today.Month, settings.BillingDay);
        if (start > today)
            start = start.AddMonths(-1);
        var existing = (await AllAsync<Cycle>("/api/v1/billing/billing-cycles", cancellationToken)).FirstOrDefault(c => c.PeriodStart == start);
        var id = existing?.Id ?? (await client.PostAsync<StartedCycle>("/api/v1/billing/billing-cycles", new StartCycle(start), cancellationToken)).Id;
        report.Count("billing cycles", existing is null ? 1 : 0, existing is null ? 0 : 1);
        // The cycle runs on billing's bus consumer: its row appears, then completes batch by batch.
        return await EventuallyAsync(async () =>
            {
                try
                {
                    return await client.GetAsync<Cycle>($"/api/v1/billing/billing-cycles/{id}", cancellationToken);
                }
                catch (GatewayProblemException e) when (e.Status == 404)
                {
                    return new Cycle(id, start, start.AddMonths(1).AddDays(-1), "not started", 0);
                }
            }, c => c.Status == "completed", TimeSpan.FromSeconds(120 + isp.Customers.Count / 10),
            c => $"{c.Status}, {c.Invoices} invoices", "the billing cycle", cancellationToken);
    }
}
