using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// The demo-data seed as a user runs it (`devtools seed`, the built assembly in a process of its own) against a fleet
/// the AppHost started, then checked only from outside, through the gateway: the seeded staff and customers can log
/// in and see what was made for them, and a second run changes nothing. The databases outlive test runs, so each run
/// seeds a tenant of its own (a fresh seed number).
/// </summary>
[TestFixture, NonParallelizable, Order(2)]
public sealed class When_the_Seed_command_runs
{
    const int Customers = 30;
    static readonly Uri Gateway = SharedFleet.Gateway;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly int _seed = (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 900_000_000);
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    FleetProcess _fleet = null!;
    Process? _snmpd;
    string? _snmpFolder;
    Summary _first = null!;

    sealed record Count(string Kind, int Created, int Existing);
    sealed record SeedLogin(string Kind, string Role, string Login, string? Password, string? Detail);
    sealed record Summary(Guid TenantId, string TenantSlug, int Created, List<Count> Counts, List<SeedLogin> Logins, List<string> Notes);
    sealed record Run(Guid Id, string Status, string? Error, Summary? Report);

    [OneTimeSetUp]
    public async Task StartFleetAndSeed()
    {
        StartSnmpAgent();
        _fleet = await SharedFleet.StartAsync();
        var clock = Stopwatch.StartNew();
        var (exit, output, errors) = await SeedAsync();
        TestContext.Progress.WriteLine($"first seed ({Customers} customers) took {clock.Elapsed.TotalSeconds:0.0} s\n{errors}");
        Assert.That(exit, Is.EqualTo(0), $"seed exited {exit}\n{errors}\n{output}\n{_fleet.Tail()}");
        _first = JsonSerializer.Deserialize<Summary>(output, Json)!;
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        await RemoveDevicesAsync();
        _http.Dispose();
        if (_snmpd is { HasExited: false })
            _snmpd.Kill();
        _snmpd?.Dispose();
        if (_snmpFolder is not null)
            Directory.Delete(_snmpFolder, recursive: true);
    }

    /// <summary>
    /// The databases outlive the test and its snmpd: left behind, the seeded devices would be polled and found down by
    /// every later fleet. They are removed through the API, as their operator would.
    /// </summary>
    async Task RemoveDevicesAsync()
    {
        if (_first is null || _fleet is null || _fleet.HasExited)
            return;
        var token = await SuperAdminTokenAsync();
        var devices = await GetAsync<JsonElement>("/api/v1/networking/devices?limit=500", token, _first.TenantId);
        foreach (var device in devices.GetProperty("items").EnumerateArray())
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(Gateway, $"/api/v1/networking/devices/{device.GetProperty("id").GetGuid()}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-Tenant-Id", _first.TenantId.ToString());
            using var response = await _http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "the seeded device is removed");
        }
    }

    /// <summary>The seeder registers its devices against an snmpd on 127.0.0.1:16161: one is started when Debian's is installed.</summary>
    void StartSnmpAgent()
    {
        if (!File.Exists("/usr/sbin/snmpd"))
            return;
        _snmpFolder = Directory.CreateTempSubdirectory("dotmac-seed-snmpd-").FullName;
        var config = Path.Combine(_snmpFolder, "snmpd.conf");
        File.WriteAllText(config, "agentAddress udp:127.0.0.1:16161\nrocommunity public 127.0.0.1\n");
        var start = new ProcessStartInfo("/usr/sbin/snmpd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "-C", "-c", config, "-m", "", "-Lf", Path.Combine(_snmpFolder, "snmpd.log") })
            start.ArgumentList.Add(argument);
        start.Environment["SNMP_PERSISTENT_DIR"] = Path.Combine(_snmpFolder, "state");
        _snmpd = Process.Start(start);
    }

    [Test, Order(1)]
    public void Should_create_the_demo_isp_on_a_fresh_fleet()
    {
        int Created(string kind) => _first.Counts.Single(c => c.Kind == kind).Created;

        Assert.That(_first.TenantSlug, Is.EqualTo($"demo-{_seed}"));
        Assert.That(Created("tenant"), Is.EqualTo(1));
        Assert.That(Created("staff users"), Is.EqualTo(5));
        Assert.That(Created("customers"), Is.EqualTo(Customers));
        Assert.That(Created("service orders"), Is.GreaterThan(Customers / 2), "most customers subscribe");
        Assert.That(Created("billing cycles"), Is.EqualTo(1));
        Assert.That(Created("payments"), Is.GreaterThan(0));
        Assert.That(_first.Logins.Count(l => l.Kind == "staff"), Is.EqualTo(5));
        Assert.That(_first.Logins.Count(l => l.Kind == "customer"), Is.EqualTo(3));
        Assert.That(_first.Notes, Has.None.Contains("orders failed"), "every order provisioned");
        if (_snmpd is { HasExited: false })
            Assert.That(Created("devices"), Is.EqualTo(5), "devices point at the local snmpd");
        else if (Created("devices") == 0)
            Assert.That(_first.Notes, Has.Some.Contains("no SNMP agent answered"), "without an agent the devices are skipped, and the report says so");
    }

    [Test, Order(2)]
    public async Task Should_let_the_seeded_staff_log_in_with_their_roles()
    {
        foreach (var staff in _first.Logins.Where(l => l.Kind == "staff"))
        {
            using var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/login"),
                new { email = staff.Login, password = staff.Password, tenantId = _first.TenantId });
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{staff.Login}: {await login.Content.ReadAsStringAsync()}");
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            var me = await GetAsync<JsonElement>("/api/v1/identity/users/me", token);
            Assert.That(me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { staff.Role }), staff.Login);
        }
    }

    [Test, Order(3)]
    public async Task Should_show_the_seeded_customers_their_own_invoices()
    {
        foreach (var customer in _first.Logins.Where(l => l.Kind == "customer"))
        {
            using var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/portal/login"), new { portalId = customer.Login, password = customer.Password });
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{customer.Login}: {await login.Content.ReadAsStringAsync()}");
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            var me = (await GetAsync<JsonElement>("/api/v1/identity/customers/me", token)).GetProperty("id").GetGuid();
            var invoices = await GetAsync<JsonElement>("/api/v1/billing/invoices", token);
            var items = invoices.GetProperty("items").EnumerateArray().ToList();

            Assert.That(items, Is.Not.Empty, $"{customer.Login} ({customer.Detail}) sees an invoice");
            Assert.That(items.Select(i => i.GetProperty("customerId").GetGuid()), Is.All.EqualTo(me), "only their own");
            var due = items.Sum(i => i.GetProperty("amountDue").GetDecimal());
            if (customer.Detail!.Contains("does not pay", StringComparison.Ordinal))
                Assert.That(due, Is.GreaterThan(0m), $"{customer.Login} was left unpaid");
            else
                Assert.That(due, Is.EqualTo(0m), $"{customer.Login} paid");
        }
    }

    /// <summary>
    /// The seeded month in analytics (fed only by events): its subscribers and orders equal what the services' own APIs
    /// list, for the tenant's staff, in the tenant's local days; a customer gets 403, another tenant sees none of it.
    /// </summary>
    [Test, Order(3)]
    public async Task Should_show_the_seeded_month_in_analytics()
    {
        var admin = _first.Logins.Single(l => l.Role == "tenant_admin");
        var token = await StaffTokenAsync(admin.Login, admin.Password!, _first.TenantId);
        var orders = await GetAsync<JsonElement>("/api/v1/services/service-orders?limit=500", token);
        var active = await GetAsync<JsonElement>("/api/v1/services/services?status=active&limit=1", token);
        var failed = await GetAsync<JsonElement>("/api/v1/services/service-orders?status=failed&limit=1", token);
        var submitted = orders.GetProperty("total").GetInt64();

        JsonElement summary = default, subscribers = default, provisioning = default;
        long Sum(JsonElement series, string field) => series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty(field).GetInt64());
        await Eventually.TrueAsync(async () =>
        {
            summary = await GetAsync<JsonElement>("/api/v1/analytics/summary", token);
            var today = DateOnly.Parse(summary.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var range = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
            subscribers = await GetAsync<JsonElement>($"/api/v1/analytics/series/subscribers?{range}", token);
            provisioning = await GetAsync<JsonElement>($"/api/v1/analytics/series/provisioning?{range}", token);
            return summary.GetProperty("subscribers").GetProperty("active").GetInt64() == active.GetProperty("total").GetInt64()
                && Sum(provisioning, "submitted") == submitted;
        }, TimeSpan.FromSeconds(30), () => $"analytics to show the seeded orders and services: {summary}");

        Assert.That(summary.GetProperty("timeZone").GetString(), Is.EqualTo("America/Chicago"), "the tenant's local days");
        Assert.That(summary.GetProperty("currency").GetString(), Is.EqualTo("USD"));
        Assert.That(Sum(provisioning, "activated"), Is.EqualTo(submitted - failed.GetProperty("total").GetInt64()));
        Assert.That(Sum(provisioning, "failed"), Is.EqualTo(failed.GetProperty("total").GetInt64()));
        Assert.That(Sum(subscribers, "activated"), Is.EqualTo(Sum(provisioning, "activated")));
        Assert.That(subscribers.GetProperty("points").EnumerateArray().Last().GetProperty("active").GetInt64(), Is.EqualTo(active.GetProperty("total").GetInt64()));
        Assert.That(summary.GetProperty("provisioning").GetProperty("leadTimeP50Seconds").GetDouble(), Is.GreaterThan(0), "orders took time to go live");

        var customer = _first.Logins.First(l => l.Kind == "customer");
        using (var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/portal/login"), new { portalId = customer.Login, password = customer.Password }))
        {
            var customerToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, "/api/v1/analytics/summary"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customerToken);
            using var refused = await _http.SendAsync(request);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a customer has no analytics");
        }
        var other = await GetAsync<JsonElement>("/api/v1/analytics/summary", await SuperAdminTokenAsync(), Guid.CreateVersion7());
        Assert.That(other.GetProperty("subscribers").GetProperty("active").GetInt64(), Is.EqualTo(0), "another tenant sees none of it");
        using var bad = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, "/api/v1/analytics/series/subscribers?from=2026-12-02&to=2026-12-01&grain=year"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test, Order(4)]
    public async Task Should_change_nothing_when_seeded_again()
    {
        var before = await CountsAsync();

        var (exit, output, errors) = await SeedAsync();

        Assert.That(exit, Is.EqualTo(0), $"{errors}\n{output}");
        var second = JsonSerializer.Deserialize<Summary>(output, Json)!;
        Assert.That(second.Created, Is.EqualTo(0), output);
        Assert.That(second.TenantId, Is.EqualTo(_first.TenantId));
        Assert.That(second.Logins.Select(l => (l.Login, l.Password)), Is.EqualTo(_first.Logins.Select(l => (l.Login, l.Password))), "the same logins");
        Assert.That(await CountsAsync(), Is.EqualTo(before));
        TestContext.Progress.WriteLine(string.Join(", ", before.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    [Test, Order(5)]
    public async Task Should_run_the_same_seed_from_the_api_for_platform_staff_only()
    {
        var admin = _first.Logins.Single(l => l.Role == "tenant_admin");
        var tenantToken = await StaffTokenAsync(admin.Login, admin.Password!, _first.TenantId);
        using (var refused = await PostAsync("/api/v1/devtools/seed", new { seed = _seed, customers = Customers }, tenantToken))
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a tenant's admin may not seed");
        var token = await SuperAdminTokenAsync();
        using (var invalid = await PostAsync("/api/v1/devtools/seed", new { seed = _seed, customers = 0 }, token))
        {
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(invalid.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        using var accepted = await PostAsync("/api/v1/devtools/seed", new { seed = _seed, customers = Customers }, token);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await accepted.Content.ReadAsStringAsync());
        var id = (await accepted.Content.ReadFromJsonAsync<Run>(Json))!.Id;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        Run run;
        do
        {
            await Task.Delay(500);
            run = await GetAsync<Run>($"/api/v1/devtools/seed/{id}", token);
        }
        while (run.Status == "running" && DateTime.UtcNow < deadline);

        Assert.That(run.Status, Is.EqualTo("succeeded"), run.Error);
        Assert.That(run.Report!.TenantId, Is.EqualTo(_first.TenantId));
        Assert.That(run.Report.Created, Is.EqualTo(0), "the API runs the same idempotent seeder");
        Assert.That(run.Report.Logins.Single(l => l.Login == admin.Login).Password, Is.EqualTo(admin.Password), "passwords follow from the seed");
    }

    /// <summary>What the tenant holds, read through the APIs as its platform operator would.</summary>
    async Task<Dictionary<string, long>> CountsAsync()
    {
        var token = await SuperAdminTokenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var (name, path) in new[]
        {
            ("plans", "/api/v1/services/plans"), ("orders", "/api/v1/services/service-orders"), ("services", "/api/v1/services/services"),
            ("prefixes", "/api/v1/networking/ip-prefixes"), ("pools", "/api/v1/networking/ip-pools"), ("devices", "/api/v1/networking/devices"),
            ("accounts", "/api/v1/billing/accounts"), ("subscriptions", "/api/v1/billing/subscriptions"), ("invoices", "/api/v1/billing/invoices"),
            ("payments", "/api/v1/billing/payments"), ("cycles", "/api/v1/billing/billing-cycles"),
        })
            counts[name] = (await GetAsync<JsonElement>($"{path}?limit=1", token, _first.TenantId)).GetProperty("total").GetInt64();
        counts["users"] = await CursorCountAsync("/api/v1/identity/users", token);
        counts["customers"] = await CursorCountAsync("/api/v1/identity/customers", token);
        long withSlug = 0;
        string? next = null;
        do
        {
            var tenants = await GetAsync<JsonElement>($"/api/v1/platform/tenants?limit=200{(next is null ? "" : $"&after={next}")}", token);
            withSlug += tenants.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("slug").GetString() == _first.TenantSlug);
            next = tenants.GetProperty("next").ValueKind == JsonValueKind.Null ? null : tenants.GetProperty("next").GetString();
        }
        while (next is not null);
        counts["tenants with the slug"] = withSlug;
        return counts;
    }

    async Task<long> CursorCountAsync(string path, string token)
    {
        long count = 0;
        string? after = null;
        do
        {
            var page = await GetAsync<JsonElement>($"{path}?limit=200{(after is null ? "" : $"&after={after}")}", token, _first.TenantId);
            count += page.GetProperty("items").GetArrayLength();
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        return count;
    }

    /// <summary>The built devtools assembly with `seed`, as `dotnet run --project services/devtools/DotMac.Devtools -- seed` runs it.</summary>
    async Task<(int Exit, string Output, string Errors)> SeedAsync()
    {
        var configuration = typeof(When_the_Seed_command_runs).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var assembly = Path.Combine(root, "services", "devtools", "DotMac.Devtools", "bin", configuration, "net10.0", "DotMac.Devtools.dll");
        Assert.That(File.Exists(assembly), Is.True, $"{assembly} is built with the AppHost");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var argument in new[] { assembly, "seed", "--seed", $"{_seed}", "--customers", $"{Customers}", "--gateway", Gateway.ToString(), "--json" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the seed did not finish within 5 minutes\n{await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    Task<string> SuperAdminTokenAsync() => SharedFleet.SuperAdminTokenAsync(_http);

    async Task<string> StaffTokenAsync(string email, string password, Guid? tenantId)
    {
        using var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/login"), new { email, password, tenantId });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    async Task<T> GetAsync<T>(string path, string token, Guid? tenantId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tenantId is { } tenant)
            request.Headers.Add("X-Tenant-Id", tenant.ToString());
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    async Task<HttpResponseMessage> PostAsync(string path, object body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }
}
