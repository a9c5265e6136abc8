using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>
/// The provisioning saga across real processes (services, networking, billing, ops) on a real broker and PostgreSQL:
/// an order becomes an address, a subscription and a RADIUS profile; failures compensate; killed services recover.
/// </summary>
public class ProvisioningTests
{
    static readonly PlanTerms Fibre = new(100, 20, 30.00m, "USD", BurstDownloadMbps: 150, BurstUploadMbps: 30, BurstSeconds: 30);
    static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(8);

    ProvisioningFleet _fleet = null!;
    FreeRadiusServer _radius = null!;
    readonly Guid _tenant = Guid.NewGuid();
    Guid _plan;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fleet = await ProvisioningFleet.StartAsync("provisioning", StepTimeout);
        _radius = await FreeRadiusServer.StartAsync(_fleet.ConnectionString("networking"));
        _plan = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest("fibre-100", "Fibre 100", Fibre))).Id;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_radius is not null)
            await _radius.DisposeAsync();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task An_order_becomes_an_address_a_subscription_and_a_radius_profile()
    {
        var pool = await PoolAsync("100.65.0.0/24");
        var customer = Guid.NewGuid();
        var clock = Stopwatch.StartNew();

        var order = await OrderAsync(customer, pool, "jane.doe");
        var active = await UntilAsync(order.Id, o => o.Status == "active");
        clock.Stop();

        TestContext.Progress.WriteLine($"order to active: {clock.ElapsedMilliseconds} ms");
        Assert.That(active.Address, Does.StartWith("100.65.0."));
        Assert.That(active.ServiceStatus, Is.EqualTo("active"));
        Assert.That(active.Steps!.Where(s => s.Outcome == "completed").Select(s => s.Step),
            Is.EqualTo(new[] { ProvisioningStateMachine.IpStep, ProvisioningStateMachine.SubscriptionStep, ProvisioningStateMachine.ProfileStep }));

        var subscriptions = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/subscriptions?customerId={customer}", _tenant);
        var subscription = subscriptions.GetProperty("items").EnumerateArray().Single();
        Assert.That(subscription.GetProperty("id").GetGuid(), Is.EqualTo(active.SubscriptionId));
        Assert.That((subscription.GetProperty("price").GetDecimal(), subscription.GetProperty("currency").GetString(), subscription.GetProperty("status").GetString()),
            Is.EqualTo((30.00m, "USD", "active")));

        var subscriber = await _fleet.CallAsync<JsonElement>("networking", HttpMethod.Get, $"/api/v1/subscribers/{order.Id}", _tenant);
        var replies = subscriber.GetProperty("replies").EnumerateArray().ToDictionary(r => r.GetProperty("attribute").GetString()!, r => r.GetProperty("value").GetString());
        Assert.That(replies["Framed-IP-Address"], Is.EqualTo(active.Address));
        Assert.That(replies["Mikrotik-Rate-Limit"], Is.EqualTo("20M/100M 30M/150M 15M/75M 30/30"));
        Assert.That(await RadiusAsync("select value from radreply where username = 'jane.doe' and attribute = 'Framed-IP-Address'"), Is.EqualTo(active.Address));
        Assert.That(await RadiusAsync("select value from radcheck where username = 'jane.doe' and attribute = 'Cleartext-Password'"), Has.Length.EqualTo(16));

        var (code, attributes) = await RadTestAsync(order.Id);
        Assert.That(code, Is.EqualTo("Access-Accept"), _radius.Output);
        Assert.That(attributes["Framed-IP-Address"], Is.EqualTo(active.Address));
        Assert.That(attributes["Mikrotik-Rate-Limit"], Is.EqualTo("20M/100M 30M/150M 15M/75M 30/30"));
        Assert.That((await _radius.AuthenticateAsync("jane.doe", "not-the-password")).Code, Is.EqualTo("Access-Reject"));
    }

    [Test]
    public async Task Suspend_rejects_the_subscriber_in_radius_and_resume_lets_it_in_again()
    {
        var pool = await PoolAsync("100.65.1.0/24");
        var order = await UntilAsync((await OrderAsync(Guid.NewGuid(), pool, "suspend.me")).Id, o => o.Status == "active");

        using (var suspend = await _fleet.SendAsync("services", HttpMethod.Post, $"/api/v1/services/{order.ServiceId}/suspend", _tenant, new LifecycleRequest("unpaid")))
            Assert.That(suspend.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await UntilAsync(order.Id, o => o.ServiceStatus == "suspended");
        Assert.That(await RadiusAsync("select value from radcheck where username = 'suspend.me' and attribute = 'Auth-Type'"), Is.EqualTo("Reject"));
        Assert.That((await RadTestAsync(order.Id)).Code, Is.EqualTo("Access-Reject"));
        using (var again = await _fleet.SendAsync("services", HttpMethod.Post, $"/api/v1/services/{order.ServiceId}/suspend", _tenant))
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        using (var resume = await _fleet.SendAsync("services", HttpMethod.Post, $"/api/v1/services/{order.ServiceId}/resume", _tenant))
            Assert.That(resume.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await UntilAsync(order.Id, o => o.ServiceStatus == "active");
        Assert.That(await RadiusAsync("select value from radcheck where username = 'suspend.me' and attribute = 'Auth-Type'"), Is.Null);
        var (code, attributes) = await RadTestAsync(order.Id);
        Assert.That((code, attributes["Framed-IP-Address"]), Is.EqualTo(("Access-Accept", order.Address)));
    }

    [Test]
    public async Task Under_a_walled_garden_policy_a_suspended_subscriber_gets_the_garden_instead_of_a_reject()
    {
        var tenant = Guid.NewGuid();
        var plan = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", tenant, new CreatePlanRequest("basic", "Basic", Fibre))).Id;
        await _fleet.CallAsync<JsonElement>("networking", HttpMethod.Put, "/api/v1/subscriber-policy", tenant,
            new { suspendedAction = "walled_garden", walledGardenRate = "128k/128k", walledGardenList = "unpaid" });
        var pool = await PoolAsync("100.65.6.0/24", tenant);
        var order = await _fleet.CallAsync<OrderResponse>("services", HttpMethod.Post, "/api/v1/service-orders", tenant,
            new CreateOrderRequest(Guid.NewGuid(), plan, pool, "garden.guest"), Guid.NewGuid().ToString());
        order = await UntilAsync(order.Id, o => o.Status == "active", tenant: tenant);

        using (var suspend = await _fleet.SendAsync("services", HttpMethod.Post, $"/api/v1/services/{order.ServiceId}/suspend", tenant))
            Assert.That(suspend.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await UntilAsync(order.Id, o => o.ServiceStatus == "suspended", tenant: tenant);

        var (code, attributes) = await RadTestAsync(order.Id, tenant);
        Assert.That(code, Is.EqualTo("Access-Accept"), _radius.Output);
        Assert.That((attributes["Mikrotik-Rate-Limit"], attributes["Mikrotik-Address-List"]), Is.EqualTo(("128k/128k", "unpaid")));
    }

    [Test]
    public async Task Terminate_ends_the_subscription_and_releases_the_address()
    {
        var pool = await PoolAsync("100.65.2.0/30");
        var customer = Guid.NewGuid();
        var order = await UntilAsync((await OrderAsync(customer, pool, "leaving")).Id, o => o.Status == "active");

        using (var terminate = await _fleet.SendAsync("services", HttpMethod.Post, $"/api/v1/services/{order.ServiceId}/terminate", _tenant, new LifecycleRequest("moved away")))
            Assert.That(terminate.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        await UntilAsync(order.Id, o => o.ServiceStatus == "terminated");
        await EventuallyAsync(async () => await AllocatedAsync(pool) == 0 && await RadiusAsync("select username from radcheck where username = 'leaving'") is null
            && await SubscriptionStatusAsync(customer) == "cancelled", "address, RADIUS rows and subscription all gone");
    }

    [Test]
    public async Task An_exhausted_pool_fails_the_order_with_the_reason_and_leaves_nothing_behind()
    {
        var pool = await PoolAsync("100.65.3.0/30");
        await UntilAsync((await OrderAsync(Guid.NewGuid(), pool)).Id, o => o.Status == "active");
        await UntilAsync((await OrderAsync(Guid.NewGuid(), pool)).Id, o => o.Status == "active");
        var customer = Guid.NewGuid();

        var failed = await UntilAsync((await OrderAsync(customer, pool)).Id, o => o.Status == "failed");

        Assert.That(failed.FailedStep, Is.EqualTo(ProvisioningStateMachine.IpStep));
        Assert.That(failed.FailureReason, Does.Contain("no free address"));
        Assert.That(failed.ServiceStatus, Is.EqualTo("failed"));
        Assert.That(await AllocatedAsync(pool), Is.EqualTo(2));
        Assert.That(await SubscriptionStatusAsync(customer), Is.Null);
    }

    [Test]
    public async Task The_same_order_posted_twice_with_one_key_is_one_order()
    {
        var pool = await PoolAsync("100.65.4.0/24");
        var request = new CreateOrderRequest(Guid.NewGuid(), _plan, pool);
        var key = Guid.NewGuid().ToString();

        using var first = await _fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, request, key);
        using var second = await _fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, request, key);
        using var different = await _fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, request with { CustomerId = Guid.NewGuid() }, key);
        using var keyless = await _fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, request);

        var a = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var b = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.Accepted, HttpStatusCode.Accepted)));
        Assert.That(b.GetProperty("id").GetGuid(), Is.EqualTo(a.GetProperty("id").GetGuid()));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(different.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(keyless.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var orders = await _fleet.CallAsync<JsonElement>("services", HttpMethod.Get, $"/api/v1/service-orders?customerId={request.CustomerId}", _tenant);
        Assert.That(orders.GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task With_networking_down_the_saga_waits_and_completes_when_it_returns_and_past_the_timeout_it_compensates()
    {
        var pool = await PoolAsync("100.65.5.0/24");
        await _fleet.KillAsync("networking");
        OrderResponse waiting, late;
        try
        {
            waiting = await OrderAsync(Guid.NewGuid(), pool, "patient");
            await UntilAsync(waiting.Id, o => o.Steps!.Any(s => s is { Step: ProvisioningStateMachine.IpStep, Outcome: "started" }));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.That((await GetOrderAsync(waiting.Id)).Status, Is.EqualTo("provisioning"), "waiting for networking");
        }
        finally
        {
            await _fleet.StartAsync("networking");
        }
        var completed = await UntilAsync(waiting.Id, o => o.Status is "active" or "failed");
        Assert.That(completed.Status, Is.EqualTo("active"), completed.FailureReason);

        await _fleet.KillAsync("networking");
        try
        {
            late = await OrderAsync(Guid.NewGuid(), pool, "too.late");
            var failed = await UntilAsync(late.Id, o => o.Status == "failed", StepTimeout * 4);
            Assert.That((failed.FailedStep, failed.FailureReason), Is.EqualTo((ProvisioningStateMachine.IpStep, "networking did not allocate an address in time")));
        }
        finally
        {
            await _fleet.StartAsync("networking");
        }
        // The allocation networking makes when it is back is released again by the saga that gave up.
        await EventuallyAsync(async () => await AllocatedAsync(pool) == 1, "only the completed order holds an address");
        Assert.That(await RadiusAsync("select username from radcheck where username = 'too.late'"), Is.Null);
    }

    async Task<(string Code, IReadOnlyDictionary<string, string> Attributes)> RadTestAsync(Guid order, Guid? tenant = null)
    {
        var credentials = await _fleet.CallAsync<JsonElement>("networking", HttpMethod.Get, $"/api/v1/subscribers/{order}/credentials", tenant ?? _tenant);
        return await _radius.AuthenticateAsync(credentials.GetProperty("username").GetString()!, credentials.GetProperty("password").GetString()!);
    }

    Task<Guid> PoolAsync(string network, Guid? tenant = null) => _fleet.PoolAsync(tenant ?? _tenant, network);

    Task<OrderResponse> OrderAsync(Guid customer, Guid pool, string? username = null) =>
        _fleet.CallAsync<OrderResponse>("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, new CreateOrderRequest(customer, _plan, pool, username),
            Guid.NewGuid().ToString());

    Task<OrderResponse> GetOrderAsync(Guid id, Guid? tenant = null) =>
        _fleet.CallAsync<OrderResponse>("services", HttpMethod.Get, $"/api/v1/service-orders/{id}", tenant ?? _tenant);

    async Task<OrderResponse> UntilAsync(Guid order, Func<OrderResponse, bool> condition, TimeSpan? timeout = null, Guid? tenant = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var current = await GetOrderAsync(order, tenant);
            if (condition(current))
                return current;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Order {order} stayed {current.Status}/{current.ServiceStatus}: {JsonSerializer.Serialize(current.Steps)}\nservices:\n{_fleet.Tail("services")}\nbilling:\n{_fleet.Tail("billing")}\nnetworking:\n{_fleet.Tail("networking")}");
            await Task.Delay(100);
        }
    }

    static Task EventuallyAsync(Func<Task<bool>> condition, string what) => ProvisioningFleet.EventuallyAsync(condition, what);

    Task<long> AllocatedAsync(Guid pool) => _fleet.ScalarAsync<long>("networking", "select count(*) from ip_allocations where pool_id = @pool", new { pool });

    Task<string?> RadiusAsync(string sql) => _fleet.ScalarAsync<string?>("networking", sql);

    Task<string?> SubscriptionStatusAsync(Guid customer) =>
        _fleet.ScalarAsync<string?>("billing", "select status from subscriptions where customer_id = @customer", new { customer });
}
