using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DotMac.AppHost.Infrastructure;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Auth;
using DotMac.Testing;
using Npgsql;

namespace DotMac.Services.Tests;

/// <summary>
/// The services of provisioning as real processes on one broker, each with its own database: ops (the durable
/// scheduler), networking, billing and services, trusting the assembly's identity, behind the real gateway: every
/// call of a test goes through it as a portal's would. Any of them can be killed and started again on the same port
/// with the same database.
/// </summary>
public sealed class ProvisioningFleet : IAsyncDisposable
{
    static readonly (string Name, string Folder, string Assembly, string? Database)[] Members =
    [
        ("ops", "services/ops/DotMac.Ops", "DotMac.Ops", "ops-db"),
        ("networking", "services/networking/DotMac.Networking", "DotMac.Networking", "networking-db"),
        ("billing", "services/billing/DotMac.Billing", "DotMac.Billing", "billing-db"),
        ("services", "services/services/DotMac.Services", "DotMac.Services", "services-db"),
        ("gateway", "gateway/DotMac.Gateway", "DotMac.Gateway", null),
        ("platform", "services/platform/DotMac.Platform", "DotMac.Platform", "platform-db"),
        ("events", "services/events/DotMac.Events", "DotMac.Events", "events-db"),
        ("analytics", "services/analytics/DotMac.Analytics", "DotMac.Analytics", "analytics-db"),
    ];

    /// <summary>What the gateway routes to (identity is the assembly's, in-process).</summary>
    static readonly string[] Routed = ["networking", "billing", "services", "platform", "events", "analytics"];

    /// <summary>What the fleet's callers hold: a tenant admin's grants (every resource of the tenant).</summary>
    static readonly Permission[] AdminPermissions =
    [
        .. TrustedIdentity.TenantPermissions("services", "read", "write"),
        .. TrustedIdentity.TenantPermissions("network", "read", "write"),
        .. TrustedIdentity.TenantPermissions("billing", "read", "write"),
        .. TrustedIdentity.TenantPermissions("events", "read"),
        .. TrustedIdentity.TenantPermissions("webhooks", "read", "write"),
        .. TrustedIdentity.TenantPermissions("analytics", "read", "write"),
    ];

    (string Name, string Folder, string Assembly, string? Database)[] _members = [];
    readonly Dictionary<string, ServiceProcess> _running = [];
    readonly Dictionary<string, int> _ports = [];
    readonly Dictionary<string, Dictionary<string, string>> _environments = [];
    HttpClient _gateway = null!;
    TenantClient _client = null!;
    readonly Dictionary<string, TestDatabase> _databases = [];
    TestVirtualHost _vhost = null!;
    TemporaryFolder _state = null!;

    /// <summary>The database of a member ("networking", "billing", ...), to check what it holds.</summary>
    public string ConnectionString(string service) => _databases[service].ConnectionString;

    /// <summary>The gateway, for calls with a token of a test's own (a customer's, another tenant's clerk).</summary>
    public HttpClient Gateway => _gateway;

    /// <summary>
    /// Starts the fleet; with <paramref name="platform"/> also platform (tenants and their settings), with
    /// <paramref name="events"/> also events (history, webhooks), with <paramref name="analytics"/> also analytics, behind the gateway.
    /// </summary>
    public static async Task<ProvisioningFleet> StartAsync(string purpose, TimeSpan stepTimeout, IReadOnlyDictionary<string, string>? settings = null,
        bool platform = false, bool events = false, bool analytics = false)
    {
        var fleet = new ProvisioningFleet
        {
            _members = [.. Members.Where(m => (platform || m.Name != "platform") && (events || m.Name != "events") && (analytics || m.Name != "analytics"))],
        };
        fleet._vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        fleet._state = new TemporaryFolder("dotmac-provisioning");
        var rabbit = await TestInfrastructure.RabbitMqAsync();
        var identity = await TrustedIdentity.HostAsync();
        // Below the kernel's ephemeral range (32768-60999): a killed member's port must still be free when it restarts,
        // and an outgoing connection of any process could otherwise take it in between.
        var next = 26000 + Random.Shared.Next(6000);
        foreach (var member in fleet._members)
            next = (fleet._ports[member.Name] = Ports.FirstFree(next)) + 1;
        foreach (var member in fleet._members)
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__messaging"] = fleet._vhost.ConnectionString,
                ["ConnectionStrings__messaging-management"] = rabbit.ManagementUri,
                ["services__identity__http__0"] = identity.Address.ToString(),
                ["OTEL_SERVICE_NAME"] = member.Name,
                ["DOTMAC_STATE_DIR"] = fleet._state.Path,
                ["Networking__Polling__Enabled"] = "false",
                ["Provisioning__StepTimeout"] = stepTimeout.ToString("c"),
                ["DotMac__Messaging__RedeliveryIntervals__0"] = "00:00:01",
                ["DotMac__Messaging__RedeliveryIntervals__1"] = "00:00:03",
                // Tests (and the load test) are one busy user: the per-user limit of the standard plan would throttle them.
                ["Gateway__RateLimits__Plans__standard__PerSecond"] = "10000",
                ["Gateway__RateLimits__Plans__standard__Burst"] = "20000",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                environment[key] = value;
            // Analytics rebuilds from events' history.
            if (member.Name == "analytics" && fleet._ports.TryGetValue("events", out var eventsPort))
                environment["services__events__http__0"] = $"http://127.0.0.1:{eventsPort}";
            if (member.Database is { } name)
            {
                var database = await TestInfrastructure.CreateDatabaseAsync($"{member.Name}_{purpose}");
                fleet._databases[member.Name] = database;
                environment[$"ConnectionStrings__{name}"] = database.ConnectionString;
            }
            else
            {
                foreach (var routed in Routed.Where(fleet._ports.ContainsKey))
                    environment[$"services__{routed}__http__0"] = $"http://127.0.0.1:{fleet._ports[routed]}";
            }
            fleet._environments[member.Name] = environment;
        }
        fleet._gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fleet._ports["gateway"]}"), Timeout = TimeSpan.FromSeconds(30) };
        fleet._client = new TenantClient(fleet._gateway, "tenant_admin", AdminPermissions);
        await Task.WhenAll(fleet._members.Where(m => m.Name != "gateway").Select(m => fleet.StartAsync(m.Name)));
        await fleet.StartAsync("gateway");
        return fleet;
    }

    public async Task StartAsync(string name)
    {
        var member = Members.Single(m => m.Name == name);
        var process = ServiceProcess.Start(ServiceProcess.BuiltAssembly(member.Folder, member.Assembly), _environments[name], _ports[name]);
        lock (_running)
            _running[name] = process;
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Another instance of a member, on a port of its own, with its environment changed by <paramref name="overrides"/> (the
    /// same database and broker): what a second replica, or the same service in another environment, would do.
    /// </summary>
    public async Task<ServiceProcess> StartExtraAsync(string name, IReadOnlyDictionary<string, string> overrides)
    {
        var member = Members.Single(m => m.Name == name);
        var environment = new Dictionary<string, string>(_environments[name]);
        foreach (var (key, value) in overrides)
            environment[key] = value;
        var process = ServiceProcess.Start(ServiceProcess.BuiltAssembly(member.Folder, member.Assembly), environment);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return process;
    }

    /// <summary>The broker the fleet's services use (its own virtual host), for a test that publishes as a service would.</summary>
    public string MessagingConnectionString => _vhost.ConnectionString;

    /// <summary>SIGKILL: no shutdown, whatever was in flight is cut.</summary>
    public async Task KillAsync(string name)
    {
        ServiceProcess process;
        lock (_running)
        {
            process = _running[name];
            _running.Remove(name);
        }
        await process.DisposeAsync();
    }

    public string Tail(string name)
    {
        lock (_running)
            return _running.TryGetValue(name, out var process) ? process.Tail() : "(not running)";
    }

    /// <summary>A call of <paramref name="service"/>'s API (its own path, "/api/v1/plans") through the gateway ("/api/v1/services/plans").</summary>
    public Task<HttpResponseMessage> SendAsync(string service, HttpMethod method, string path, Guid tenant, object? body = null, string? idempotencyKey = null) =>
        _client.SendAsync(method, $"/api/v1/{service}/{path["/api/v1/".Length..]}", tenant, body,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    /// <summary>Sends and reads a successful answer; fails the test with the problem otherwise.</summary>
    public async Task<T> CallAsync<T>(string service, HttpMethod method, string path, Guid tenant, object? body = null, string? idempotencyKey = null)
    {
        using var response = await SendAsync(service, method, path, tenant, body, idempotencyKey);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{method} {service}{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>A prefix and a pool of the same network in networking (through the gateway); the pool's id.</summary>
    public async Task<Guid> PoolAsync(Guid tenant, string network, string? name = null)
    {
        var prefix = await CallAsync<JsonElement>("networking", HttpMethod.Post, "/api/v1/ip-prefixes", tenant, new { prefix = network, site = "pop-1" });
        var pool = await CallAsync<JsonElement>("networking", HttpMethod.Post, "/api/v1/ip-pools", tenant,
            new { name = name ?? $"pool-{network}", prefixId = prefix.GetProperty("id").GetGuid(), network });
        return pool.GetProperty("id").GetGuid();
    }

    /// <summary>What a member's database holds, read directly (to check what no API shows, like leaks).</summary>
    public async Task<T> ScalarAsync<T>(string service, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string service, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    /// <summary>
    /// Billing accounts with one active monthly 30.00 USD subscription each, billed through the end of December 2026, as
    /// provisioning would leave them (seeded in billing's database: the flow that opens them is tested on its own).
    /// </summary>
    public async Task SeedSubscriptionsAsync(Guid tenant, int count)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("billing"));
        await connection.ExecuteAsync("""
            insert into billing_accounts (id, tenant_id, customer_id, currency) select gen_random_uuid(), @tenant, gen_random_uuid(), 'USD' from generate_series(1, @count);
            insert into subscriptions (id, tenant_id, account_id, customer_id, order_id, service_id, plan_id, plan_version, plan_name, price, currency, billing_period,
                activation_date, billed_through)
            select gen_random_uuid(), @tenant, a.id, a.customer_id, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 1, 'Fibre', 30.00, 'USD', 'monthly',
                '2026-11-01', '2026-12-31'
            from billing_accounts a where a.tenant_id = @tenant;
            analyze billing_accounts;
            analyze subscriptions;
            """, new { tenant, count }, commandTimeout: 600);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; throws with <paramref name="what"/> if it does not in time.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {limit.TotalSeconds} s: {what}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ServiceProcess> running;
        lock (_running)
            running = [.. _running.Values];
        foreach (var process in running)
            await process.DisposeAsync();
        _gateway?.Dispose();
        await _vhost.DisposeAsync();
        foreach (var database in _databases.Values)
            await database.DisposeAsync();
        _state.Dispose();
    }
}
