using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotMac.Contracts;
using DotMac.Contracts.Networking;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using MassTransit;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>
/// The events service among real processes (services, networking, billing, ops, events, the gateway) on a real broker
/// and PostgreSQL: every integration event kept once in the history, partner webhooks (a real HTTP server of the
/// test's) signed the Standard Webhooks way, retried, isolated from each other, replayed, and never sent inside the
/// platform's networks. Retries here are fast: the first after 0.2 s, an attempt's limit 2 s, given up after 6 s.
/// </summary>
public class EventsTests
{
    static readonly PlanTerms Fibre = new(100, 20, 30.00m, "USD");
    static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    ProvisioningFleet _fleet = null!;
    PartnerServer _partner = null!;
    IBusControl _bus = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fleet = await ProvisioningFleet.StartAsync("events", TimeSpan.FromSeconds(30), new Dictionary<string, string>
        {
            ["Events__Webhooks__FirstRetryDelay"] = "00:00:00.200",
            ["Events__Webhooks__MaxRetryDelay"] = "00:00:01",
            ["Events__Webhooks__AttemptTimeout"] = AttemptTimeout.ToString("c"),
            ["Events__Webhooks__RetryWindow"] = "00:00:06",
            ["Events__Webhooks__DisableAfter"] = "00:00:08",
        }, events: true);
        _partner = await PartnerServer.StartAsync();
        var broker = RabbitMqEndpoint.Parse(_fleet.MessagingConnectionString);
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
        }));
        await _bus.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_bus is not null)
            await _bus.StopAsync();
        if (_partner is not null)
            await _partner.DisposeAsync();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task A_partner_receives_the_activation_and_the_invoice_signed_with_the_secret_it_was_shown()
    {
        var tenant = Guid.NewGuid();
        var url = _partner.Endpoint("isp-partner");
        var subscription = await SubscribeAsync(tenant, url, "service.activated", "invoice.*");
        var secret = subscription.GetProperty("secret").GetString()!;
        Assert.That(secret, Does.StartWith("whsec_"));
        var shown = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Id(subscription)}", tenant);
        Assert.That(shown.TryGetProperty("secret", out _), Is.False, "the secret is shown once");

        var plan = (await _fleet.CallAsync<PlanResponse>("services", HttpMethod.Post, "/api/v1/plans", tenant, new CreatePlanRequest("fibre-100", "Fibre 100", Fibre))).Id;
        var pool = await _fleet.PoolAsync(tenant, "100.72.0.0/24");
        var customer = Guid.NewGuid();
        var order = await _fleet.CallAsync<OrderResponse>("services", HttpMethod.Post, "/api/v1/service-orders", tenant,
            new CreateOrderRequest(customer, plan, pool, "webhook.watcher"), Guid.NewGuid().ToString());
        await ProvisioningFleet.EventuallyAsync(async () => (await _fleet.CallAsync<OrderResponse>("services", HttpMethod.Get, $"/api/v1/service-orders/{order.Id}", tenant)).Status == "active",
            "the order active");
        var accounts = await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Get, $"/api/v1/accounts?customerId={customer}", tenant);
        var account = accounts.GetProperty("items")[0].GetProperty("id").GetGuid();
        var invoice = (await _fleet.CallAsync<JsonElement>("billing", HttpMethod.Post, $"/api/v1/accounts/{account}/invoices", tenant)).GetProperty("id").GetGuid();

        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("isp-partner").Count >= 2), "both webhooks at the partner");
        var received = _partner.ReceivedAt("isp-partner");
        Assert.That(received.Select(r => r.Header("DotMac-Event-Type")), Is.EquivalentTo(new[] { "service.activated", "invoice.issued" }));
        foreach (var request in received)
        {
            Assert.That(PartnerServer.Verifies(request, secret), Is.True, $"signature of {request.Header("DotMac-Event-Type")}");
            Assert.That(request.Header("webhook-id"), Is.EqualTo(request.Header("DotMac-Event-Id")));
            Assert.That(long.Parse(request.Header("webhook-timestamp")), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(60));
            var stored = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/history/{request.Header("webhook-id")}", tenant);
            Assert.That(stored.GetProperty("type").GetString(), Is.EqualTo(request.Header("DotMac-Event-Type")));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(request.Text), JsonNode.Parse(stored.GetProperty("payload").GetRawText())), Is.True,
                $"body {request.Text} is the stored payload {stored.GetProperty("payload")}");
        }
        var activated = JsonNode.Parse(received.Single(r => r.Header("DotMac-Event-Type") == "service.activated").Text)!;
        Assert.That(activated["orderId"]!.GetValue<Guid>(), Is.EqualTo(order.Id));
        var issued = JsonNode.Parse(received.Single(r => r.Header("DotMac-Event-Type") == "invoice.issued").Text)!;
        Assert.That(issued["invoiceId"]!.GetValue<Guid>(), Is.EqualTo(invoice));

        // The history holds the whole story of the order, each event once, found by the order's id.
        var story = await HistoryAsync(tenant, $"subjectId={order.Id}&order=asc&limit=100");
        var types = story.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.That(types, Does.Contain("service_order.submitted").And.Contain("ip.assigned").And.Contain("subscription.opened").And.Contain("service.activated"));
        Assert.That(story.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count(), Is.EqualTo(story.Count));
    }

    [Test]
    public async Task A_failing_partner_gets_the_event_on_the_fourth_attempt_and_every_attempt_is_recorded()
    {
        var tenant = Guid.NewGuid();
        var url = _partner.Endpoint("flaky", (n, _) => Task.FromResult(n <= 3 ? 500 : 200));
        var subscription = await SubscribeAsync(tenant, url, "device.*");
        var device = Guid.NewGuid();
        var id = await PublishAsync(new DeviceDown(tenant, device, "olt-1", "192.0.2.10", "timeout", DateTimeOffset.UtcNow));

        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("flaky").Count >= 4), "four attempts at the partner");
        var deliveries = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Id(subscription)}/deliveries", tenant);
        var delivery = deliveries.GetProperty("items").EnumerateArray().Single();
        await ProvisioningFleet.EventuallyAsync(async () => (await DeliveryAsync(tenant, Id(delivery))).GetProperty("status").GetString() == "delivered", "delivered");
        var detail = await DeliveryAsync(tenant, Id(delivery));
        Assert.That(detail.GetProperty("attempts").GetInt32(), Is.EqualTo(4));
        Assert.That(detail.GetProperty("eventId").GetGuid(), Is.EqualTo(id));
        var log = detail.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.That(log.Select(a => a.GetProperty("statusCode").GetInt32()), Is.EqualTo(new[] { 500, 500, 500, 200 }));
        Assert.That(log.Select(a => a.GetProperty("number").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(log.All(a => a.GetProperty("latencyMs").GetDouble() > 0 && a.GetProperty("responseExcerpt").GetString() == "{\"received\":true}"), Is.True);
        var received = _partner.ReceivedAt("flaky");
        Assert.That(received.Select(r => r.Header("webhook-id")).Distinct(), Is.EqualTo(new[] { id.ToString() }), "a retry carries the same event id");
        Assert.That(received.Select(r => r.Header("DotMac-Attempt")), Is.EqualTo(new[] { "1", "2", "3", "4" }));
        // Backoff, by the service's own attempt times: each wait at least half of 0.2 s doubled per attempt.
        var times = log.Select(a => a.GetProperty("attemptedAt").GetDateTimeOffset()).ToList();
        for (var i = 1; i < times.Count; i++)
            Assert.That((times[i] - times[i - 1]).TotalMilliseconds, Is.GreaterThanOrEqualTo(200 * Math.Pow(2, i - 1) / 2), $"wait before attempt {i + 1}");
    }

    [Test]
    public async Task A_partner_that_never_answers_does_not_delay_another_subscription()
    {
        var tenant = Guid.NewGuid();
        var hanging = _partner.Endpoint("hanging", async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 200;
        });
        await SubscribeAsync(tenant, hanging, "device.*");
        await SubscribeAsync(tenant, _partner.Endpoint("prompt"), "device.*");

        var sent = new Dictionary<Guid, DateTimeOffset>();
        for (var i = 0; i < 20; i++)
        {
            var at = DateTimeOffset.UtcNow;
            sent[await PublishAsync(new DeviceUp(tenant, Guid.NewGuid(), $"cpe-{i}", "192.0.2.20", at))] = at;
            await Task.Delay(50);
        }
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("prompt").Count >= 20), "20 prompt deliveries");
        var latencies = _partner.ReceivedAt("prompt").Select(r => (r.At - sent[Guid.Parse(r.Header("webhook-id"))]).TotalMilliseconds).Order().ToList();
        TestContext.Progress.WriteLine($"prompt partner beside a hanging one: publish-to-delivery p50 {latencies[10]:0} ms, max {latencies[^1]:0} ms " +
            $"(the hanging one had {_partner.ReceivedAt("hanging").Count} attempts, each cut after {AttemptTimeout.TotalSeconds} s)");
        // Held behind the hanging one, every delivery would wait at least one attempt's limit.
        Assert.That(latencies[10], Is.LessThan(AttemptTimeout.TotalMilliseconds / 4), "median");
        Assert.That(latencies.Count(l => l >= AttemptTimeout.TotalMilliseconds), Is.LessThanOrEqualTo(1), "deliveries that waited an attempt's limit");
        Assert.That(_partner.ReceivedAt("hanging").Select(r => r.Header("webhook-id")).Distinct().Count(), Is.EqualTo(1),
            "the hanging partner's queue is held at its first event");
    }

    [Test]
    public async Task A_delivery_given_up_is_kept_announced_and_a_subscription_failing_too_long_is_disabled()
    {
        var tenant = Guid.NewGuid();
        var subscription = await SubscribeAsync(tenant, _partner.Endpoint("dead", (_, _) => Task.FromResult(503)), "*");
        await SubscribeAsync(tenant, _partner.Endpoint("watcher"), "webhook_delivery.failed");
        var first = await PublishAsync(new DeviceDown(tenant, Guid.NewGuid(), "olt-2", "192.0.2.11", "timeout", DateTimeOffset.UtcNow));
        await PublishAsync(new DeviceDown(tenant, Guid.NewGuid(), "olt-3", "192.0.2.12", "timeout", DateTimeOffset.UtcNow.AddSeconds(1)));

        await ProvisioningFleet.EventuallyAsync(async () => (await SubscriptionAsync(tenant, Id(subscription))).GetProperty("active").GetBoolean() == false,
            "the dead partner's subscription disabled", TimeSpan.FromSeconds(40));
        var disabled = await SubscriptionAsync(tenant, Id(subscription));
        Assert.That(disabled.GetProperty("disabledReason").GetString(), Does.Contain("every delivery failed since").And.Contain("HTTP 503"));
        var failed = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Id(subscription)}/deliveries?status=failed", tenant);
        var given = failed.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("eventId").GetGuid() == first);
        Assert.That(given.GetProperty("attempts").GetInt32(), Is.GreaterThan(2));
        Assert.That(given.GetProperty("lastError").GetString(), Is.EqualTo("HTTP 503"));

        // WebhookDeliveryFailed went through the bus into the history, and to a subscription that asked for it (not to the dead one).
        await ProvisioningFleet.EventuallyAsync(async () => (await HistoryAsync(tenant, "type=webhook_delivery.failed"))
            .Any(e => e.GetProperty("payload").GetProperty("eventId").GetGuid() == first), "WebhookDeliveryFailed in the history");
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("watcher").Count >= 1), "the watcher told");
        Assert.That(_partner.ReceivedAt("watcher").Select(r => r.Header("DotMac-Event-Type")).Distinct(), Is.EqualTo(new[] { "webhook_delivery.failed" }));
        Assert.That(_partner.ReceivedAt("dead").Any(r => r.Header("DotMac-Event-Type") == "webhook_delivery.failed"), Is.False,
            "a subscription of every type is not told of its own failed delivery");

        // Re-enabled, it is healthy again (no reason, no failing streak).
        using var enable = await _fleet.SendAsync("events", HttpMethod.Patch, $"/api/v1/webhooks/subscriptions/{Id(subscription)}", tenant, new { active = true });
        var enabled = await enable.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That((enabled.GetProperty("active").GetBoolean(), enabled.GetProperty("disabledReason").ValueKind, enabled.GetProperty("failingSince").ValueKind),
            Is.EqualTo((true, JsonValueKind.Null, JsonValueKind.Null)));
    }

    [Test]
    public async Task A_rotated_secret_signs_beside_the_new_one_for_a_while()
    {
        var tenant = Guid.NewGuid();
        var subscription = await SubscribeAsync(tenant, _partner.Endpoint("rotating"), "device.up");
        var old = subscription.GetProperty("secret").GetString()!;
        var rotated = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Post, $"/api/v1/webhooks/subscriptions/{Id(subscription)}/rotate-secret", tenant);
        var fresh = rotated.GetProperty("secret").GetString()!;
        Assert.That(fresh, Is.Not.EqualTo(old));
        Assert.That(rotated.GetProperty("subscription").GetProperty("previousSecretExpiresAt").GetDateTimeOffset(),
            Is.EqualTo(DateTimeOffset.UtcNow.AddHours(24)).Within(TimeSpan.FromMinutes(5)));

        await PublishAsync(new DeviceUp(tenant, Guid.NewGuid(), "cpe-r", "192.0.2.30", DateTimeOffset.UtcNow));
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("rotating").Count >= 1), "the delivery");
        var request = _partner.ReceivedAt("rotating")[0];
        Assert.That(request.Header("webhook-signature").Split(' '), Has.Length.EqualTo(2));
        Assert.That((PartnerServer.Verifies(request, fresh), PartnerServer.Verifies(request, old)), Is.EqualTo((true, true)));
        Assert.That(PartnerServer.Verifies(request, "whsec_" + Convert.ToBase64String(new byte[32])), Is.False);
    }

    [Test]
    public async Task The_history_is_filtered_by_type_time_correlation_and_subject_and_paged_both_ways()
    {
        var tenant = Guid.NewGuid();
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3).AddHours(9), TimeSpan.Zero);
        var device = Guid.NewGuid();
        var other = Guid.NewGuid();
        var correlation = Guid.NewGuid();
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            IIntegrationEvent message = i % 2 == 0
                ? new DeviceDown(tenant, i < 4 ? device : other, $"olt-{i}", "192.0.2.1", "timeout", start.AddMinutes(i))
                : new DeviceUp(tenant, i < 4 ? device : other, $"olt-{i}", "192.0.2.1", start.AddMinutes(i));
            ids.Add(await PublishAsync(message, i >= 4 ? correlation : null));
        }
        await ProvisioningFleet.EventuallyAsync(async () => (await HistoryAsync(tenant, "limit=100")).Count == 6, "six events recorded");

        Assert.That(Ids(await HistoryAsync(tenant, "type=device.down&order=asc")), Is.EqualTo(new[] { ids[0], ids[2], ids[4] }));
        Assert.That(Ids(await HistoryAsync(tenant, "type=device.down&type=device.up&order=asc")), Is.EqualTo(ids));
        Assert.That(Ids(await HistoryAsync(tenant, $"from={Q(start.AddMinutes(1))}&to={Q(start.AddMinutes(3))}&order=asc")), Is.EqualTo(new[] { ids[1], ids[2] }));
        Assert.That(Ids(await HistoryAsync(tenant, $"correlationId={correlation}&order=asc")), Is.EqualTo(new[] { ids[4], ids[5] }));
        Assert.That(Ids(await HistoryAsync(tenant, $"subjectId={device}&order=asc")), Is.EqualTo(ids[..4]));
        Assert.That(Ids(await HistoryAsync(tenant, $"subjectId={other}")), Is.EqualTo(new[] { ids[5], ids[4] }), "newest first by default");

        // Cursor pages, newest first and oldest first, each exactly the whole list once.
        foreach (var order in new[] { "desc", "asc" })
        {
            var seen = new List<Guid>();
            string? cursor = null;
            do
            {
                var page = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/history?order={order}&limit=4{(cursor is null ? "" : $"&cursor={cursor}")}", tenant);
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);
            Assert.That(seen, Is.EqualTo(order == "asc" ? ids : Enumerable.Reverse(ids).ToList()), order);
        }

        var stored = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/history/{ids[4]}", tenant);
        Assert.That((stored.GetProperty("type").GetString(), stored.GetProperty("contract").GetString(), stored.GetProperty("correlationId").GetGuid()),
            Is.EqualTo(("device.down", typeof(DeviceDown).FullName, correlation)));
        Assert.That(stored.GetProperty("occurredAt").GetDateTimeOffset(), Is.EqualTo(start.AddMinutes(4)));
        Assert.That(stored.GetProperty("payload").GetProperty("deviceId").GetGuid(), Is.EqualTo(other));

        var export = await ExportAsync(tenant, null, start, start.AddMinutes(10));
        Assert.That(export.Select(e => e.GetProperty("id").GetGuid()), Is.EqualTo(ids), "NDJSON, oldest first");

        // Bad input is a problem, not a 500.
        foreach (var (query, field) in new[] { ("type=no.such", "type"), ("order=sideways", "order"), ("limit=0", "limit"), ("cursor=garbage", "cursor") })
        {
            using var response = await _fleet.SendAsync("events", HttpMethod.Get, $"/api/v1/history?{query}", tenant);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), query);
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), Is.True, query);
        }
    }

    [Test]
    public async Task Another_tenant_sees_none_of_it_and_a_customer_is_refused()
    {
        var tenant = Guid.NewGuid();
        var stranger = Guid.NewGuid();
        var id = await PublishAsync(new DeviceDown(tenant, Guid.NewGuid(), "olt-9", "192.0.2.9", "timeout", DateTimeOffset.UtcNow));
        await ProvisioningFleet.EventuallyAsync(async () => (await HistoryAsync(tenant, "limit=10")).Count == 1, "recorded");

        Assert.That(await HistoryAsync(stranger, "limit=100"), Is.Empty);
        using (var byId = await _fleet.SendAsync("events", HttpMethod.Get, $"/api/v1/history/{id}", stranger))
            Assert.That(byId.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ExportAsync(stranger, null, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)), Is.Empty);
        var strangerSubscription = await SubscribeAsync(stranger, _partner.Endpoint("stranger"), "*");
        using (var foreign = await _fleet.SendAsync("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Id(strangerSubscription)}", tenant))
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // Naming another tenant in X-Tenant-Id is refused for tenant staff; platform staff may, or read every tenant.
        var client = new TenantClient(_fleet.Gateway, "tenant_admin", []);
        var admin = await TrustedIdentity.TokenAsync(stranger, "tenant_admin", TrustedIdentity.TenantPermissions("events", "read"));
        using (var named = await client.SendAsync(HttpMethod.Get, "/api/v1/events/history", admin, tenantHeader: tenant))
            Assert.That(named.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var platform = await TrustedIdentity.TokenAsync(null, "super_admin", [new Permission("*", "*", PermissionScope.Global)]);
        using (var chosen = await client.SendAsync(HttpMethod.Get, $"/api/v1/events/history/{id}", platform, tenantHeader: tenant))
            Assert.That(chosen.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var everyTenant = await client.SendAsync(HttpMethod.Get, $"/api/v1/events/history/{id}", platform))
            Assert.That(everyTenant.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var customer = await TrustedIdentity.TokenAsync(tenant, "customer", [new Permission("billing", "read", PermissionScope.Own)], Guid.NewGuid());
        foreach (var path in new[] { "/api/v1/events/history", $"/api/v1/events/history/{id}", "/api/v1/events/history/export?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
                     "/api/v1/events/webhooks/subscriptions" })
        {
            using var response = await client.SendAsync(HttpMethod.Get, path, customer);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }
    }

    [Test]
    public async Task Replaying_a_range_sends_exactly_its_events_again_in_order()
    {
        var tenant = Guid.NewGuid();
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2).AddHours(6), TimeSpan.Zero);
        var ids = new List<Guid>();
        // Published newest first: the replay orders by when they happened, not by when they arrived.
        for (var i = 9; i >= 0; i--)
            ids.Insert(0, await PublishAsync(new DeviceDown(tenant, Guid.NewGuid(), $"olt-{i}", "192.0.2.2", "timeout", start.AddMinutes(i))));
        await ProvisioningFleet.EventuallyAsync(async () => (await HistoryAsync(tenant, "limit=100")).Count == 10, "ten events recorded");

        var subscription = await SubscribeAsync(tenant, _partner.Endpoint("replayed"), "device.down");
        var replay = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Post, $"/api/v1/webhooks/subscriptions/{Id(subscription)}/replay", tenant,
            new { from = start.AddMinutes(2), to = start.AddMinutes(7) });
        Assert.That(replay.GetProperty("queued").GetInt32(), Is.EqualTo(5));
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("replayed").Count >= 5), "five replayed");
        await Task.Delay(500);
        Assert.That(_partner.ReceivedAt("replayed").Select(r => Guid.Parse(r.Header("webhook-id"))), Is.EqualTo(ids[2..7]));

        // One delivery once more.
        var deliveries = await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Id(subscription)}/deliveries?status=delivered", tenant);
        var one = deliveries.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("eventId").GetGuid() == ids[3]);
        await _fleet.CallAsync<JsonElement>("events", HttpMethod.Post, $"/api/v1/webhooks/deliveries/{Id(one)}/redeliver", tenant);
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("replayed").Count >= 6), "redelivered");
        Assert.That(_partner.ReceivedAt("replayed")[5].Header("webhook-id"), Is.EqualTo(ids[3].ToString()));
    }

    [Test]
    public async Task Addresses_inside_the_platforms_networks_are_refused_outside_development()
    {
        // Another instance on the same database, in Production; it delivers nothing (it would take the other tests' subscriptions).
        await using var production = await _fleet.StartExtraAsync("events", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Events__Webhooks__Deliver"] = "false",
        });
        var tenant = Guid.NewGuid();
        var client = new TenantClient(production.Client, "tenant_admin", TrustedIdentity.TenantPermissions("webhooks", "read", "write"));
        foreach (var url in new[] { "http://169.254.169.254/", "http://10.0.0.1/", "https://localhost/", "https://127.0.0.1:8443/hook", "https://[::1]/",
                     "https://192.168.1.10/", "https://100.64.0.1/", "https://[fd00::1]/", _partner.Endpoint("ssrf"), "ftp://example.com/", "not a url" })
        {
            using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/webhooks/subscriptions", tenant, new { url, eventTypes = new[] { "*" } });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), url);
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _), Is.True, url);
        }
        using var types = await client.SendAsync(HttpMethod.Post, "/api/v1/webhooks/subscriptions", tenant, new { url = "https://203.0.113.5/hook", eventTypes = new[] { "nothing.*" } });
        Assert.That(types.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await types.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("eventTypes", out _), Is.True);
    }

    [Test]
    public async Task Every_one_of_5000_events_is_kept_once_and_delivered_though_events_is_killed_midway()
    {
        const int Count = 5000;
        var tenant = Guid.NewGuid();
        await SubscribeAsync(tenant, _partner.Endpoint("firehose"), "device.*");
        var published = new List<Guid>();
        var publishing = Task.Run(async () =>
        {
            for (var batch = 0; batch < Count / 100; batch++)
            {
                var at = DateTimeOffset.UtcNow;
                published.AddRange(await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
                    PublishAsync(new DeviceDown(tenant, Guid.NewGuid(), $"olt-{batch}-{i}", "192.0.2.3", "timeout", at.AddTicks(i))))));
            }
        });
        await ProvisioningFleet.EventuallyAsync(async () => await RecordedAsync(tenant) >= 500, "the first 500 recorded", TimeSpan.FromSeconds(60));
        await _fleet.KillAsync("events");
        var atKill = await RecordedAsync(tenant);
        await Task.Delay(500);
        await _fleet.StartAsync("events");
        await publishing;
        var clock = Stopwatch.StartNew();
        await ProvisioningFleet.EventuallyAsync(async () => await RecordedAsync(tenant) >= Count, $"{Count} recorded", TimeSpan.FromSeconds(120));
        await ProvisioningFleet.EventuallyAsync(() => Task.FromResult(_partner.ReceivedAt("firehose").Select(r => r.Header("webhook-id")).Distinct().Count() >= Count),
            $"{Count} delivered", TimeSpan.FromSeconds(120));
        TestContext.Progress.WriteLine($"killed with {atKill} of {Count} recorded; the rest recorded and delivered {clock.Elapsed.TotalSeconds:0.0} s after publishing ended; " +
            $"{_partner.ReceivedAt("firehose").Count} requests at the partner for {Count} events");

        var rows = await _fleet.QueryAsync<(Guid Id, long Copies)>("events",
            "select message_id, count(*) from event_history where tenant_id = @tenant group by message_id", new { tenant });
        Assert.That(rows, Has.Count.EqualTo(Count));
        Assert.That(rows.All(r => r.Copies == 1), Is.True, "each kept once");
        Assert.That(rows.Select(r => r.Id).Order(), Is.EqualTo(published.Order()));
        var received = _partner.ReceivedAt("firehose").Select(r => Guid.Parse(r.Header("webhook-id"))).ToHashSet();
        Assert.That(published.All(received.Contains), Is.True, "each delivered at least once");
    }

    async Task<long> RecordedAsync(Guid tenant) =>
        await _fleet.ScalarAsync<long>("events", "select count(*) from event_history where tenant_id = @tenant", new { tenant });

    async Task<Guid> PublishAsync(IIntegrationEvent message, Guid? correlation = null)
    {
        var id = NewId.NextGuid();
        await _bus.Publish(message, message.GetType(), context =>
        {
            context.MessageId = id;
            if (correlation is not null)
                context.CorrelationId = correlation;
        });
        return id;
    }

    async Task<JsonElement> SubscribeAsync(Guid tenant, string url, params string[] eventTypes)
    {
        using var response = await _fleet.SendAsync("events", HttpMethod.Post, "/api/v1/webhooks/subscriptions", tenant, new { url, eventTypes, description = "test partner" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{await response.Content.ReadAsStringAsync()}\n{_fleet.Tail("events")}");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return JsonSerializer.SerializeToElement(new { id = created.GetProperty("subscription").GetProperty("id").GetGuid(), secret = created.GetProperty("secret").GetString() });
    }

    Task<JsonElement> SubscriptionAsync(Guid tenant, Guid id) =>
        _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{id}", tenant);

    Task<JsonElement> DeliveryAsync(Guid tenant, Guid id) =>
        _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/webhooks/deliveries/{id}", tenant);

    async Task<List<JsonElement>> HistoryAsync(Guid tenant, string query) =>
        [.. (await _fleet.CallAsync<JsonElement>("events", HttpMethod.Get, $"/api/v1/history?{query}", tenant)).GetProperty("items").EnumerateArray()];

    async Task<List<JsonElement>> ExportAsync(Guid tenant, string? type, DateTimeOffset from, DateTimeOffset to)
    {
        using var response = await _fleet.SendAsync("events", HttpMethod.Get, $"/api/v1/history/export?from={Q(from)}&to={Q(to)}{(type is null ? "" : $"&type={type}")}", tenant);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    static Guid Id(JsonElement element) => element.GetProperty("id").GetGuid();

    static List<Guid> Ids(IEnumerable<JsonElement> events) => [.. events.Select(Id)];

    static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
