using DotMac.ServiceDefaults.Http;

namespace DotMac.Devtools.Seed;

// Customers with portal accounts (looked up by e-mail), a few portal accounts activated with known passwords, and one
// service order per subscriber through the provisioning saga (Idempotency-Key from the seed), waited for until it ends.
public sealed partial class Seeder
{
    async Task<Dictionary<int, Customer>> CustomersAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var found = new List<Customer>();
        string? after = null;
        do
        {
            var page = await client.GetAsync<CustomerPage>($"/api/v1/identity/customers?limit=200{(after is null ? "" : $"&after={after}")}", cancellationToken);
            found.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        var byEmail = found.GroupBy(c => c.Email, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var customers = new Dictionary<int, Customer>();
        var missing = new List<DemoCustomer>();
        foreach (var demo in isp.Customers)
        {
            if (byEmail.TryGetValue(demo.Email, out var customer))
                customers[demo.Index] = customer;
            else
                missing.Add(demo);
        }
        var activated = 0;
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (demo, token) =>
        {
            var created = await WhileTenantUnknownAsync(() => client.PostAsync<CustomerCreated>("/api/v1/identity/customers",
                new CreateCustomer(demo.Kind, demo.Name, demo.Email, demo.Address, PortalAccount: true, demo.Phone), token), token);
            var customer = created.Customer;
            // The initial password is in this answer only: the demo's portal logins are activated now or never.
            if (demo.PortalLogin && created.Portal is { } portal)
            {
                await client.PostAnonymousAsync("/api/v1/identity/auth/portal/activate",
                    new PortalActivation(portal.PortalId, portal.InitialPassword, DemoCredentials.Password(isp.Seed, demo.Email)), token);
                customer = customer with { PortalStatus = "active" };
                Interlocked.Increment(ref activated);
            }
            lock (customers)
                customers[demo.Index] = customer;
        });
        report.Count("customers", missing.Count, isp.Customers.Count - missing.Count);
        report.Count("portal activations", activated, isp.Customers.Count(c => c.PortalLogin) - activated);
        foreach (var demo in isp.Customers.Where(c => c.PortalLogin && customers[c.Index].PortalStatus != "active"))
            report.Note($"the portal account of {demo.Email} is {customers[demo.Index].PortalStatus ?? "missing"} and its initial password is gone "
                + "(a run stopped between creating and activating it): its login is not shown.");
        progress($"customers: {missing.Count} created, {isp.Customers.Count - missing.Count} existing; {activated} portal accounts activated");
        return customers;
    }

    async Task<Dictionary<int, Order>> OrdersAsync(SeedReport report, Dictionary<int, Customer> customers, Dictionary<string, Plan> plans,
        Dictionary<string, IpPool> pools, CancellationToken cancellationToken)
    {
        var existing = (await AllAsync<Order>("/api/v1/services/service-orders", cancellationToken))
            .GroupBy(o => o.CustomerId).ToDictionary(g => g.Key, g => g.First());
        var subscribers = isp.Customers.Where(c => c.PlanCode is not null).ToList();
        var missing = subscribers.Where(c => !existing.ContainsKey(customers[c.Index].Id)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (demo, token) =>
        {
            var order = new CreateOrder(customers[demo.Index].Id, plans[demo.PlanCode!].Id, pools[demo.Pool!].Id, demo.Username);
            await client.PostAsync<Order>("/api/v1/services/service-orders", order, token, $"seed-{isp.Seed}-order-{demo.Index}");
        });
        report.Count("service orders", missing.Count, subscribers.Count - missing.Count);
        progress($"orders: {missing.Count} submitted, {subscribers.Count - missing.Count} existing");

        // The saga allocates an address, opens the subscription and applies the RADIUS profile: wait for every order to end.
        var timeout = TimeSpan.FromSeconds(90 + subscribers.Count / 4);
        await EventuallyAsync(async () =>
            (await client.GetAsync<Page<Order>>("/api/v1/services/service-orders?status=pending&limit=1", cancellationToken)).Total
            + (await client.GetAsync<Page<Order>>("/api/v1/services/service-orders?status=provisioning&limit=1", cancellationToken)).Total,
            open => open == 0, timeout, open => $"{open} still provisioning", "the provisioning saga", cancellationToken);
        var orders = (await AllAsync<Order>("/api/v1/services/service-orders", cancellationToken))
            .GroupBy(o => o.CustomerId).ToDictionary(g => g.Key, g => g.OrderBy(o => o.Status == "failed").First());
        var result = new Dictionary<int, Order>();
        foreach (var demo in subscribers)
        {
            if (orders.TryGetValue(customers[demo.Index].Id, out var order))
                result[demo.Index] = order;
        }
        var failed = result.Values.Where(o => o.Status == "failed").ToList();
        foreach (var reason in failed.GroupBy(o => $"{o.FailedStep}: {o.FailureReason}"))
            report.Note($"{reason.Count()} orders failed at {reason.Key}");
        progress($"orders: {result.Values.Count(o => o.Status == "active")} active, {failed.Count} failed");
        return result;
    }
}
