using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace DotMac.AppHost.Tests;

/// <summary>
/// What an SRE sees on the AppHost's dashboard with nothing configured: every service exports OTLP to the AppHost,
/// whose receiver shows an order as one trace across the fleet (searchable by its id, its log lines linked from its
/// spans), the structured logs and each service's metrics; and the metrics deploy/observability's dashboards and
/// alerts query are the ones the fleet really exports. Driven in Debian's headless Chromium.
/// </summary>
[TestFixture, NonParallelizable, Order(4)]
public sealed class When_an_SRE_follows_an_order_in_the_dashboard
{
    static readonly Uri Gateway = SharedFleet.Gateway;
    static readonly Uri Dashboard = SharedFleet.Dashboard;

    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    readonly string _slug = $"telemetry-{DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 10_000_000}";
    readonly List<string> _consoleErrors = [];
    string _token = null!;
    string _screenshots = null!;
    IPlaywright _playwright = null!;
    IBrowser _browser = null!;
    Guid _tenant;
    Guid _order;

    [OneTimeSetUp]
    public async Task SubmitAnOrderThroughTheGateway()
    {
        await SharedFleet.StartAsync();
        _token = await SharedFleet.SuperAdminTokenAsync(_http);
        var created = await SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", null, new
        {
            slug = _slug, name = "Telemetry Fibre", plan = "standard",
            settings = new
            {
                currency = "USD", timeZone = "UTC", billingDay = 1, taxRates = Array.Empty<object>(),
                dunning = new { reminderDays = new[] { 3 }, suspendAfterDays = 14, terminateAfterDays = 60 },
            },
        }, idempotencyKey: _slug);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        _tenant = created.Body.GetProperty("id").GetGuid();

        (HttpStatusCode Status, JsonElement Body) customer = default;
        await Eventually.TrueAsync(async () => (customer = await SendAsync(HttpMethod.Post, "/api/v1/identity/customers", _tenant, new
        {
            kind = "residential", name = "Trace Customer", email = $"trace-{Guid.NewGuid():N}@example.com",
            address = new { line1 = "1 Span Street", city = "Austin", postalCode = "73301", country = "US" }, portalAccount = false,
        })).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(30), () => $"a customer to be created: {customer.Body}");
        var octet = Random.Shared.Next(0, 250);
        var prefix = await SendAsync(HttpMethod.Post, "/api/v1/networking/ip-prefixes", _tenant, new { prefix = $"10.{octet}.0.0/16", site = "pop-trace" });
        Assert.That(prefix.Status, Is.EqualTo(HttpStatusCode.Created), prefix.Body.ToString());
        var pool = await SendAsync(HttpMethod.Post, "/api/v1/networking/ip-pools", _tenant,
            new { name = "trace", prefixId = prefix.Body.GetProperty("id").GetGuid(), network = $"10.{octet}.1.0/24" });
        Assert.That(pool.Status, Is.EqualTo(HttpStatusCode.Created), pool.Body.ToString());
        var plan = await SendAsync(HttpMethod.Post, "/api/v1/services/plans", _tenant,
            new { code = "trace-100", name = "Trace 100", terms = new { downloadMbps = 100, uploadMbps = 20, price = 40.00m, currency = "USD" } });
        Assert.That(plan.Status, Is.EqualTo(HttpStatusCode.Created), plan.Body.ToString());
        // A device nobody answers for: its polls fail, so the poll histogram and the devices-down gauge have figures.
        var device = await SendAsync(HttpMethod.Post, "/api/v1/networking/devices", _tenant,
            new { name = "unreachable-olt", managementAddress = "127.0.0.1", snmp = new { version = "v2c", port = 9, community = "public" }, pollIntervalSeconds = 5 });
        Assert.That(device.Status, Is.EqualTo(HttpStatusCode.Created), device.Body.ToString());

        var order = await SendAsync(HttpMethod.Post, "/api/v1/services/service-orders", _tenant, new
        {
            customerId = customer.Body.GetProperty("customer").GetProperty("id").GetGuid(),
            planId = plan.Body.GetProperty("id").GetGuid(),
            poolId = pool.Body.GetProperty("id").GetGuid(),
        }, idempotencyKey: $"{_slug}-order");
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Accepted), order.Body.ToString());
        _order = order.Body.GetProperty("id").GetGuid();
        await Eventually.TrueAsync(async () => (await SendAsync(HttpMethod.Get, $"/api/v1/services/service-orders/{_order}", _tenant)).Body
            .GetProperty("status").GetString() == "active", TimeSpan.FromSeconds(60), () => "the order to become active");

        _screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "dashboard-screenshots");
        Directory.CreateDirectory(_screenshots);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        _http.Dispose();
    }

    [Test, Order(1)]
    public async Task The_order_is_one_trace_from_the_gateway_through_services_networking_and_billing_found_by_its_id()
    {
        JsonElement traces = default, detail = default;
        // Exporters batch spans for a few seconds and each service sends its own: wait until the whole tree is in.
        await Eventually.TrueAsync(async () =>
        {
            traces = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, $"/api/telemetry/traces?q=dotmac.order.id={_order}"));
            if (!traces.EnumerateArray().Any(t => Covers(t.GetProperty("services"))))
                return false;
            var candidate = traces.EnumerateArray().First(t => Covers(t.GetProperty("services"))).GetProperty("traceId").GetString();
            detail = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, $"/api/telemetry/traces/{candidate}"));
            return Roots(detail).Count == 1 && detail.GetProperty("logs").EnumerateArray()
                .Any(l => l.GetProperty("message").GetString()!.Contains($"Order {_order} is active", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), () => $"one trace of order {_order} across gateway, services, networking and billing, with its log lines: {traces}");
        var trace = traces.EnumerateArray().First(t => Covers(t.GetProperty("services")));
        Assert.That(trace.GetProperty("rootService").GetString(), Is.EqualTo("gateway"), "the trace starts where the request came in");
        Assert.That(trace.GetProperty("rootName").GetString(), Does.StartWith("POST"));
        var id = trace.GetProperty("traceId").GetString()!;

        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        var spanIds = spans.Select(s => s.GetProperty("spanId").GetString()).ToHashSet();
        Assert.That(Roots(detail), Has.Count.EqualTo(1), "one tree: every hop (HTTP, outbox, RabbitMQ, saga steps) keeps the context");
        Assert.That(spans.Any(s => s.GetProperty("kind").GetString() == "consumer" && s.GetProperty("service").GetString() == "billing"), Is.True,
            "billing consumes a saga step in the same trace");
        Assert.That(spans.Any(s => s.GetProperty("attributes").EnumerateArray().Any(a =>
            a.GetProperty("key").GetString() == "dotmac.tenant.id" && a.GetProperty("value").GetString() == _tenant.ToString())), Is.True, "tenant id on spans");
        var logs = detail.GetProperty("logs").EnumerateArray().ToList();
        Assert.That(logs.All(l => l.GetProperty("spanId").GetString() is { } s && spanIds.Contains(s)), Is.True, "each log line names a span of the trace");

        // The same through the page, as an SRE would: search by the order id, open the trace, open a span's log lines.
        var page = await PageAsync();
        await page.GotoAsync($"/traces?q=dotmac.order.id%3D{_order}");
        // The order's later reads (GET /service-orders/{id}) carry its id too: the submission is the POST.
        var link = page.Locator(".trace-link", new() { HasText = "gateway: POST" }).First;
        await Expect(link).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "traces-desktop.png"), FullPage = true });
        await link.ClickAsync();
        await Expect(page.Locator(".span-row").First).ToBeVisibleAsync();
        foreach (var service in new[] { "gateway", "services", "networking", "billing" })
            await Expect(page.Locator($".span-row[data-service='{service}']").First).ToBeVisibleAsync();
        // Every span the API gave (more may come: a step's timeout fires later and is ignored, in the same trace).
        await Expect(page.Locator(".span-row").Nth(spans.Count - 1)).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "trace-waterfall-desktop.png"), FullPage = true });
        var withLogs = page.Locator(".span-row", new() { HasText = "logs" }).Last;
        await withLogs.ClickAsync();
        await Expect(page.Locator(".span-logs li").First).ToContainTextAsync($"Order {_order}");
        await Expect(page.Locator(".span-detail .attributes")).ToContainTextAsync("dotmac.order.id");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "trace-span-desktop.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Open these in Structured logs" }).ClickAsync();
        await Expect(page.Locator(".log-record").First).ToContainTextAsync($"Order {_order}");
        await page.Locator(".log-trace").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/traces/{id}$"));
        await page.Context.CloseAsync();
        Assert.That(_consoleErrors, Is.Empty, "console errors");
    }

    [Test, Order(2)]
    public async Task Each_page_renders_at_desktop_and_phone_width_with_no_serious_accessibility_violation()
    {
        var problems = new List<string>();
        foreach (var (width, height, suffix) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            var page = await PageAsync(width, height);
            foreach (var (path, name, ready) in new[]
            {
                ("/", "resources", "text=healthy"),
                ("/traces", "traces", ".trace-link"),
                ("/logs", "logs", ".log-record"),
                ("/metrics?service=gateway&name=http.server.request.duration", "metrics", ".chart canvas"),
            })
            {
                await page.GotoAsync(path);
                await Expect(page.Locator(ready).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
                await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, $"{name}-{suffix}.png"), FullPage = true });
                var results = await page.RunAxe();
                foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
                    problems.Add($"{name} ({suffix}): {violation.Id} ({violation.Impact}) {violation.Help}: {string.Join(", ", violation.Nodes.Select(n => n.Html).Take(3))}");
            }
            await page.Context.CloseAsync();
        }
        Assert.That(problems, Is.Empty, "axe-core: serious or critical violations");
        Assert.That(_consoleErrors, Is.Empty, "console errors");
    }

    [Test, Order(3)]
    public async Task Every_metric_the_grafana_dashboards_and_alerts_query_is_one_the_fleet_exports()
    {
        var referenced = ObservabilityDeploy.ReferencedMetrics();
        // The collector's exporter makes target_info itself; everything else comes from the services' instruments.
        var wanted = referenced.Where(m => m != "target_info").ToHashSet();
        HashSet<string> exported = [];
        await Eventually.TrueAsync(async () =>
        {
            var instruments = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, "/api/telemetry/metrics"));
            exported = [.. instruments.EnumerateArray().SelectMany(i => PrometheusNames(
                i.GetProperty("name").GetString()!, i.GetProperty("unit").GetString()!, i.GetProperty("type").GetString()!))];
            return wanted.IsSubsetOf(exported);
        }, TimeSpan.FromSeconds(90), () => $"queried but not exported: {string.Join(", ", wanted.Except(exported).Order())}");
        TestContext.Progress.WriteLine($"{wanted.Count} metrics queried by deploy/observability, all exported ({exported.Count} names in all)");
    }

    [Test, Order(4)]
    public async Task The_receiver_takes_OTLP_over_HTTP_protobuf_and_refuses_what_is_not()
    {
        using var json = await _http.PostAsync(new Uri($"http://localhost:{4318 + SharedFleet.Offset}/v1/traces"),
            new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(json.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var garbage = await _http.PostAsync(new Uri($"http://localhost:{4318 + SharedFleet.Offset}/v1/logs"),
            new ByteArrayContent([0xff, 0xff, 0xff]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } });
        Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var stats = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, "/api/telemetry/stats"));
        Assert.That(stats.GetProperty("services").EnumerateArray().Select(s => s.GetString()), Is.SupersetOf(SharedFleet.Services.Append("gateway")));
    }

    [Test, Order(5)]
    public async Task Flooded_with_ten_thousand_spans_a_second_for_a_minute_the_receiver_keeps_its_cap_and_the_dashboard_answers()
    {
        var fleet = await SharedFleet.StartAsync();
        var before = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, "/api/telemetry/stats"));
        var capacity = before.GetProperty("spanCapacity").GetInt32();
        using var otlp = new HttpClient { BaseAddress = new Uri($"http://localhost:{4318 + SharedFleet.Offset}"), Timeout = TimeSpan.FromSeconds(30) };
        const int PerSecond = 10_000, Batch = 500, Seconds = 60;
        var sent = 0L;
        var slowest = TimeSpan.Zero;
        var rss = new List<long>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds));

        async Task FloodAsync()
        {
            for (var second = 0; !stop.IsCancellationRequested; second++)
            {
                var due = TimeSpan.FromSeconds(second);
                for (var i = 0; i < PerSecond / Batch && !stop.IsCancellationRequested; i++)
                {
                    using var content = new ByteArrayContent(FloodBatch(Batch));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    using var response = await otlp.PostAsync("/v1/traces", content);
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                    Interlocked.Add(ref sent, Batch);
                }
                var wait = due + TimeSpan.FromSeconds(1) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
            }
        }

        async Task WatchAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var asked = System.Diagnostics.Stopwatch.StartNew();
                using (var resources = await _http.GetAsync(new Uri(Dashboard, "/api/resources")))
                    Assert.That(resources.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                using (var list = await _http.GetAsync(new Uri(Dashboard, "/api/telemetry/traces?limit=50")))
                    Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                if (asked.Elapsed > slowest)
                    slowest = asked.Elapsed;
                rss.Add(ResidentBytes(fleet.Pid));
                await Task.Delay(1000);
            }
        }

        await Task.WhenAll(FloodAsync(), WatchAsync());
        var after = await _http.GetFromJsonAsync<JsonElement>(new Uri(Dashboard, "/api/telemetry/stats"));
        var rate = sent / clock.Elapsed.TotalSeconds;
        var half = rss.Count / 2;
        TestContext.Progress.WriteLine($"flood: {sent:N0} spans in {clock.Elapsed.TotalSeconds:0} s ({rate:N0}/s); held {after.GetProperty("spansHeld")} of {capacity}, " +
            $"dropped {after.GetProperty("spansDropped")}; AppHost RSS {rss[0] / 1e6:0} MB at the start, {rss[half] / 1e6:0} MB at half time, {rss[^1] / 1e6:0} MB at the end; " +
            $"slowest dashboard answer {slowest.TotalMilliseconds:0} ms");
        Assert.That(rate, Is.GreaterThan(PerSecond * 0.8), "the flood ran at the rate asked");
        Assert.That(after.GetProperty("spansHeld").GetInt64(), Is.LessThanOrEqualTo(capacity), "the cap holds");
        Assert.That(after.GetProperty("spansDropped").GetInt64() - before.GetProperty("spansDropped").GetInt64(),
            Is.GreaterThanOrEqualTo(sent - capacity), "what did not fit was dropped, oldest first, and counted");
        // Bounded: once the cap is reached (long before half time), memory stops growing.
        Assert.That(rss[^1] - rss[half], Is.LessThan(96L << 20), "the AppHost's memory stays flat in the second half");
        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(5)), "the dashboard kept answering");
    }

    static readonly Random Ids = new();

    /// <summary>A batch of five-span traces from a pretend service, ids fresh each time, as an exporter would send them.</summary>
    static byte[] FloodBatch(int spans)
    {
        var scope = new DotMac.AppHost.Telemetry.Protocol.ScopeSpans { Scope = new() { Name = "flood" } };
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        Span<byte> trace = stackalloc byte[16];
        Span<byte> id = stackalloc byte[8];
        byte[] parent = [];
        for (var i = 0; i < spans; i++)
        {
            if (i % 5 == 0)
            {
                Ids.NextBytes(trace);
                parent = [];
            }
            Ids.NextBytes(id);
            var span = new DotMac.AppHost.Telemetry.Protocol.Span
            {
                TraceId = Google.Protobuf.ByteString.CopyFrom(trace),
                SpanId = Google.Protobuf.ByteString.CopyFrom(id),
                ParentSpanId = Google.Protobuf.ByteString.CopyFrom(parent),
                Name = $"flood step {i % 5}",
                Kind = DotMac.AppHost.Telemetry.Protocol.Span.Types.SpanKind.Internal,
                StartTimeUnixNano = now,
                EndTimeUnixNano = now + 1_000_000,
            };
            span.Attributes.Add(new DotMac.AppHost.Telemetry.Protocol.KeyValue { Key = "dotmac.tenant.id", Value = new() { StringValue = "flood" } });
            scope.Spans.Add(span);
            parent = id.ToArray();
        }
        var resource = new DotMac.AppHost.Telemetry.Protocol.ResourceSpans { Resource = new() };
        resource.Resource.Attributes.Add(new DotMac.AppHost.Telemetry.Protocol.KeyValue { Key = "service.name", Value = new() { StringValue = "flood" } });
        resource.ScopeSpans.Add(scope);
        var request = new DotMac.AppHost.Telemetry.Protocol.ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return Google.Protobuf.MessageExtensions.ToByteArray(request);
    }

    static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    /// <summary>
    /// An instrument's names as the OpenTelemetry Collector's Prometheus exporter writes them: dots to underscores, the
    /// unit as a suffix (s -> _seconds, By -> _bytes; annotations in braces dropped), monotonic counters with _total,
    /// histograms as _bucket, _sum and _count.
    /// </summary>
    static IEnumerable<string> PrometheusNames(string name, string unit, string type)
    {
        var baseName = Regex.Replace(name, "[^a-zA-Z0-9_]", "_");
        var suffix = unit switch { "s" => "seconds", "By" => "bytes", "ms" => "milliseconds", _ => "" };
        if (suffix.Length > 0 && !baseName.EndsWith("_" + suffix, StringComparison.Ordinal))
            baseName += "_" + suffix;
        return type switch
        {
            "counter" => [baseName + "_total"],
            "histogram" => [baseName + "_bucket", baseName + "_sum", baseName + "_count"],
            _ => [baseName],
        };
    }

    static List<JsonElement> Roots(JsonElement detail)
    {
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        var ids = spans.Select(s => s.GetProperty("spanId").GetString()).ToHashSet();
        return [.. spans.Where(s => s.GetProperty("parentSpanId").GetString() is not { } parent || !ids.Contains(parent))];
    }

    static bool Covers(JsonElement services)
    {
        var names = services.EnumerateArray().Select(s => s.GetString()).ToHashSet();
        return new[] { "gateway", "services", "networking", "billing" }.All(names.Contains);
    }

    Task<IPage> PageAsync(int width = 1280, int height = 900) => Chromium.PageAsync(_browser, Dashboard, width, height, _consoleErrors);

    Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, Guid? tenant, object? body = null, string? idempotencyKey = null) =>
        GatewayCalls.SendAsync(_http, _token, method, path, body, tenant, idempotencyKey);
}
