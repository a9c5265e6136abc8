using DotMac.ServiceDefaults.Http;
using System.Diagnostics;

namespace DotMac.Devtools.Seed;

/// <summary>
/// Builds the demo ISP of <see cref="DemoIsp"/> through the gateway, step by step, each step looking up what exists
/// before it creates anything (natural keys: slug, e-mails, codes, names; Idempotency-Keys from the seed for orders and
/// payments), so a second run with the same seed creates nothing. The caller must be platform staff (global scope).
/// </summary>
public sealed partial class Seeder(GatewayClient client, DemoIsp isp, Action<string> progress)
{
    const int Parallelism = 4;
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task<SeedReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = new SeedReport();
        var tenant = await TenantAsync(report, cancellationToken);
        client.TenantId = tenant.Id;
        await StaffAsync(report, cancellationToken);
        var plans = await PlansAsync(report, cancellationToken);
        var pools = await IpamAsync(report, cancellationToken);
        var customers = await CustomersAsync(report, cancellationToken);
        var orders = await OrdersAsync(report, customers, plans, pools, cancellationToken);
        await BillingAsync(report, tenant, customers, orders, cancellationToken);
        await DevicesAsync(report, cancellationToken);
        progress($"done in {clock.Elapsed.TotalSeconds:0.0} s: {report.Created} created");
        return report;
    }

    async Task<Tenant> TenantAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var tenant = await FindTenantAsync(cancellationToken);
        var created = false;
        if (tenant is null)
        {
            try
            {
                tenant = await client.PostAsync<Tenant>("/api/v1/platform/tenants", new CreateTenant(isp.Slug, isp.Name, "enterprise", isp.Settings),
                    cancellationToken, $"seed-{isp.Seed}-tenant");
                created = true;
            }
            catch (GatewayProblemException e) when (e.Code == "tenant.slug_taken")
            {
                // another run made it meanwhile
                tenant = await FindTenantAsync(cancellationToken) ?? throw new SeedException($"Tenant '{isp.Slug}' exists but is not listed: {e.Message}");
            }
        }
        if (tenant.Status != "active")
            throw new SeedException($"Tenant '{isp.Slug}' is {tenant.Status}: seed with another number (--seed).");
        (report.TenantId, report.TenantSlug, report.TenantName) = (tenant.Id, tenant.Slug, tenant.Name);
        report.Count("tenant", created ? 1 : 0, created ? 0 : 1);
        progress($"tenant {tenant.Slug} {(created ? "created" : "exists")}: {tenant.Id}");
        return tenant;
    }

    async Task<Tenant?> FindTenantAsync(CancellationToken cancellationToken)
    {
        Guid? after = null;
        do
        {
            var page = await client.GetAsync<TenantPage>($"/api/v1/platform/tenants?limit=200{(after is null ? "" : $"&after={after}")}", cancellationToken);
            if (page.Items.FirstOrDefault(t => t.Slug == isp.Slug) is { } found)
                return found;
            after = page.Next;
        }
        while (after is not null);
        return null;
    }

    async Task StaffAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var users = new List<User>();
        string? after = null;
        do
        {
            var page = await client.GetAsync<UserPage>($"/api/v1/identity/users?limit=200{(after is null ? "" : $"&after={after}")}", cancellationToken);
            users.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        var known = users.Select(u => u.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var created = 0;
        foreach (var staff in isp.Staff)
        {
            var password = DemoCredentials.Password(isp.Seed, staff.Email);
            if (!known.Contains(staff.Email))
            {
                await WhileTenantUnknownAsync(() => client.PostAsync<User>("/api/v1/identity/users",
                    new CreateUser(staff.Email, staff.DisplayName, password, [staff.Role]), cancellationToken), cancellationToken);
                created++;
            }
            report.Login(new SeedLogin("staff", staff.Role, staff.Email, staff.Email, password, staff.DisplayName));
        }
        report.Count("staff users", created, isp.Staff.Count - created);
        progress($"staff: {created} created, {isp.Staff.Count - created} existing");
    }

    /// <summary>Identity learns of a new tenant from platform's TenantCreated event; until then it answers 404 for it.</summary>
    static async Task<T> WhileTenantUnknownAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (GatewayProblemException e) when (e.Code == "tenant.not_found" && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    /// <summary>Every item of an offset-paged list.</summary>
    async Task<List<T>> AllAsync<T>(string path, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            var page = await client.GetAsync<Page<T>>($"{path}{separator}limit=500&offset={items.Count}", cancellationToken);
            items.AddRange(page.Items);
            if (page.Items.Count == 0 || items.Count >= page.Total)
                return items;
        }
    }

    /// <summary>Waits for a condition read through the API, saying what it waits for every few seconds.</summary>
    async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T, string> state, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var said = TimeSpan.Zero;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (clock.Elapsed > timeout)
                throw new SeedException($"Gave up after {timeout.TotalSeconds:0} s waiting for {what}: {state(value)}.");
            if (clock.Elapsed - said > TimeSpan.FromSeconds(5))
            {
                said = clock.Elapsed;
                progress($"waiting for {what}: {state(value)}");
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }
}

/// <summary>The seed cannot go on; the message says why and what to do.</summary>
public sealed class SeedException(string message) : Exception(message);
