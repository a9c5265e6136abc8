using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>
/// Nothing lost under failure: a thousand orders through the gateway while services, networking and billing are each
/// SIGKILLed and restarted. A fleet of its own, with the production step timeout (60 s).
/// </summary>
public class ProvisioningChaosTests
{
    ProvisioningFleet _fleet = null!;
    readonly Guid _tenant = Guid.NewGuid();
    Guid _plan;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fleet = await ProvisioningFleet.StartAsync("provisioning_chaos", TimeSpan.FromSeconds(60));
        _plan = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", _tenant,
            new CreatePlanRequest("fibre-50", "Fibre 50", new PlanTerms(50, 10, 25.00m, "EUR")))).Id;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _fleet.DisposeAsync();

    [Test]
    public async Task A_thousand_orders_in_flight_while_services_networking_and_billing_are_killed_all_end_active_or_failed_with_nothing_leaked()
    {
        const int Orders = 1000;
        var pool = await _fleet.PoolAsync(_tenant, "100.66.0.0/22", "load");
        var submitted = new ConcurrentBag<Guid>();
        var clock = Stopwatch.StartNew();
        var next = -1;

        async Task SubmitAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Orders)
            {
                var request = new CreateOrderRequest(Guid.NewGuid(), _plan, pool, $"load-{i}");
                var key = $"load-{i}";
                // The services process may be down for a moment: the client retries with the same key, as it should.
                // A kill can also cut an answer mid-body (the gateway had sent the headers): the client cannot know
                // whether the order was taken, so it sends again with the same key and gets the same order back.
                for (var attempt = 0; ; attempt++)
                {
                    Assert.That(attempt, Is.LessThan(200), "services never came back");
                    HttpResponseMessage response;
                    string body;
                    try
                    {
                        response = await _fleet.SendAsync("services", HttpMethod.Post, "/api/v1/service-orders", _tenant, request, key);
                        body = await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                        continue;
                    }
                    using (response)
                    {
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            submitted.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid());
                            break;
                        }
                        Assert.That((int)response.StatusCode, Is.GreaterThanOrEqualTo(500), body);
                    }
                    await Task.Delay(100);
                }
            }
        }

        async Task ChaosAsync()
        {
            foreach (var victim in new[] { "services", "networking", "billing" })
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                await _fleet.KillAsync(victim);
                await Task.Delay(TimeSpan.FromSeconds(1));
                await _fleet.StartAsync(victim);
            }
        }

        await Task.WhenAll(Task.WhenAll(Enumerable.Range(0, 16).Select(_ => SubmitAsync())), ChaosAsync());
        Assert.That(submitted.Distinct().Count(), Is.EqualTo(Orders));

        await ProvisioningFleet.EventuallyAsync(async () => await _fleet.ScalarAsync<long>("services",
            "select count(*) from service_orders where status in ('active', 'failed') and username like 'load-%'") == Orders,
            "every order active or failed", TimeSpan.FromMinutes(4));
        // Compensations and late replies are messages too: let them land before counting what is held.
        var active = await _fleet.ScalarAsync<long>("services", "select count(*) from service_orders where status = 'active' and username like 'load-%'");
        var failedWithoutReason = await _fleet.ScalarAsync<long>("services",
            "select count(*) from service_orders where status = 'failed' and username like 'load-%' and (failure_reason is null or failed_step is null)");
        await ProvisioningFleet.EventuallyAsync(async () => await _fleet.ScalarAsync<long>("networking", "select count(*) from ip_allocations where pool_id = @pool", new { pool }) == active && await _fleet.ScalarAsync<long>("networking",
            "select count(*) from subscribers where username like 'load-%'") == active && await _fleet.ScalarAsync<long>("billing",
            "select count(*) from subscriptions where status = 'active' and plan_id = @plan", new { plan = _plan }) == active,
            "exactly the active orders hold an address, a RADIUS profile and an active subscription", TimeSpan.FromMinutes(2));

        var reasons = await _fleet.QueryAsync<string>("services",
            "select failed_step || ': ' || failure_reason || ' (' || count(*) || ')' from service_orders where status = 'failed' and username like 'load-%' group by failed_step, failure_reason order by 1");
        TestContext.Progress.WriteLine($"settled in {clock.Elapsed.TotalSeconds:0.0} s; {active} of {Orders} active, {Orders - active} failed: {string.Join("; ", reasons)}");
        Assert.That(failedWithoutReason, Is.Zero);
        Assert.That(active, Is.GreaterThan(Orders / 2), "most orders complete despite the kills");
        Assert.That(await _fleet.ScalarAsync<long>("networking", "select count(distinct address) from ip_allocations where pool_id = @pool", new { pool }), Is.EqualTo(active));
        Assert.That(await _fleet.ScalarAsync<long>("billing",
            "select count(*) from (select order_id from subscriptions group by order_id having count(*) > 1) twice"), Is.Zero);
        var activeOrders = (await _fleet.QueryAsync<Guid>("services", "select id from service_orders where status = 'active' and username like 'load-%'")).ToHashSet();
        var holders = (await _fleet.QueryAsync<string>("networking", "select reference from ip_allocations where pool_id = @pool", new { pool }))
            .Select(r => Guid.Parse(r["service-order:".Length..])).ToHashSet();
        Assert.That(holders.SetEquals(activeOrders), Is.True, "addresses are held by exactly the active orders");
    }
}
