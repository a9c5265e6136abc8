using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DotMac.AppHost.Infrastructure;
using DotMac.Contracts;
using DotMac.ServiceDefaults.FeatureFlags;
using NSwag.CodeGeneration.CSharp;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// What a partner developer meets, through the gateway of the real fleet: every service's OpenAPI document (valid, with
/// every mapped route), the docs page in headless Chromium with nothing fetched from the internet, the AsyncAPI event
/// catalog, a client generated from a document doing real work, tenant feature flags, and the list conventions of
/// docs/api-conventions.md on every list endpoint.
/// </summary>
[TestFixture, NonParallelizable, Order(1)]
public sealed partial class The_partner_surface
{
    static readonly Uri Gateway = SharedFleet.Gateway;
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    readonly string _files = Directory.CreateTempSubdirectory("dotmac-partner-").FullName;
    string _token = null!;
    Guid _tenantA;
    Guid _tenantB;

    [OneTimeSetUp]
    public async Task Start()
    {
        await SharedFleet.StartAsync();
        _token = await SharedFleet.SuperAdminTokenAsync(_http);
        var run = Guid.NewGuid().ToString("N")[..8];
        _tenantA = await CreateTenantAsync($"partner-a-{run}");
        _tenantB = await CreateTenantAsync($"partner-b-{run}");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        Directory.Delete(_files, recursive: true);
    }

    [Test]
    public async Task Should_publish_a_valid_openapi_3_document_of_every_service()
    {
        var files = new List<string>();
        foreach (var service in SharedFleet.Services)
        {
            using var response = await _http.GetAsync(new Uri(Gateway, $"/openapi/{service}/v1.json")); // anonymous
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), service);
            var text = await response.Content.ReadAsStringAsync();
            var document = JsonDocument.Parse(text).RootElement;
            Assert.That(document.GetProperty("openapi").GetString(), Does.StartWith("3."), service);
            Assert.That(document.GetProperty("info").GetProperty("version").GetString(), Is.EqualTo("v1"), service);
            Assert.That(document.GetProperty("servers")[0].GetProperty("url").GetString(), Is.EqualTo(Gateway.GetLeftPart(UriPartial.Authority)), service);
            var schemes = document.GetProperty("components").GetProperty("securitySchemes");
            Assert.That(schemes.GetProperty("bearer").GetProperty("scheme").GetString(), Is.EqualTo("bearer"), service);
            Assert.That(schemes.GetProperty("clientCredentials").GetProperty("flows").GetProperty("clientCredentials").GetProperty("tokenUrl").GetString(),
                Is.EqualTo(new Uri(Gateway, "/api/v1/identity/auth/token").ToString()), service);
            foreach (var (path, method, operation) in Operations(document))
            {
                Assert.That(path, Does.StartWith($"/api/v1/{service}/").Or.StartWith("/.well-known/"), $"{service}: the public path");
                Assert.That(operation.TryGetProperty("operationId", out _), Is.True, $"{method} {path} has an operation id");
                Assert.That(operation.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, Is.True,
                    $"{method} {path} says what it does (WithSummary)");
                var responses = operation.GetProperty("responses");
                foreach (var status in new[] { "400", "429" })
                    Assert.That(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), Is.True,
                        $"{method} {path} documents its {status} problem");
                if (operation.TryGetProperty("security", out _))
                    Assert.That(responses.TryGetProperty("401", out _) && responses.TryGetProperty("403", out _), Is.True, $"{method} {path}: 401 and 403");
            }
            files.Add(await SaveAsync($"{service}.json", text));
        }
        files.Add(await SaveAsync("platform-v2.json", await _http.GetStringAsync(new Uri(Gateway, "/openapi/platform/v2.json"))));

        var validation = await SpecTools.RunAsync(["openapi", .. files]);

        var results = validation.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Where(r => !r.GetProperty("valid").GetBoolean()).Select(r => $"{r.GetProperty("file")}: {r.GetProperty("error")}"), Is.Empty);
        Assert.That(results, Has.Count.EqualTo(SharedFleet.Services.Length + 1));
        var services = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_files, "services.json"))).RootElement;
        Assert.That(services.GetProperty("paths").GetProperty("/api/v1/services/plans").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), Is.True, "the main requests carry an example");
        using var unknown = await _http.GetAsync(new Uri(Gateway, "/openapi/nope/v1.json"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_describe_every_route_each_service_maps()
    {
        foreach (var service in SharedFleet.Services)
        {
            var address = await SharedFleet.AddressOfAsync(_http, service);
            var mapped = (await _http.GetFromJsonAsync<JsonElement>(new Uri(address, "/openapi/endpoints.json"))).EnumerateArray()
                .Select(r => $"{r.GetProperty("method").GetString()} {Normalize(r.GetProperty("path").GetString()!)}")
                .ToHashSet(StringComparer.Ordinal);
            var documented = new HashSet<string>(StringComparer.Ordinal);
            foreach (var version in new[] { "v1", "v2" })
            {
                var document = await _http.GetFromJsonAsync<JsonElement>(new Uri(address, $"/openapi/{version}.json"));
                foreach (var (path, method, _) in Operations(document))
                    documented.Add($"{method.ToUpperInvariant()} {Normalize(path)}");
            }

            Assert.That(mapped, Is.Not.Empty, service);
            Assert.That(mapped.Except(documented), Is.Empty, $"{service}: every mapped route is in its documents");
            Assert.That(documented.Except(mapped), Is.Empty, $"{service}: the documents describe nothing that is not mapped");
        }
    }

    [Test]
    public async Task Should_serve_the_docs_page_with_every_service_and_the_event_catalog_from_the_gateway_alone()
    {
        var client = await SendAsync(HttpMethod.Post, "/api/v1/identity/clients", _tenantA, new { name = "docs page", scopes = new[] { "services:read" } });
        Assert.That(client.Status, Is.EqualTo(HttpStatusCode.Created), client.Body.ToString());

        var page = await SpecTools.RunAsync("docs", Gateway.ToString(), client.Body.GetProperty("clientId").GetString()!, client.Body.GetProperty("clientSecret").GetString()!);

        Assert.That(page.GetProperty("external").EnumerateArray().Select(e => e.GetString()), Is.Empty, "no request leaves the machine");
        Assert.That(page.GetProperty("failures").EnumerateArray().Select(e => e.GetString()), Is.Empty, "no failed request, no script error");
        Assert.That(page.GetProperty("services").EnumerateArray().Select(e => e.GetString()), Is.SupersetOf(SharedFleet.Services.Select(s => $"{s} v1")));
        Assert.That(page.GetProperty("title").GetString(), Does.StartWith("DotMac "));
        Assert.That(page.GetProperty("bar").EnumerateArray().Select(e => e.GetString()), Does.Contain("Event catalog (AsyncAPI)"));
        var authorized = page.GetProperty("authorized");
        Assert.That(authorized.GetProperty("tokenStatus").GetInt32(), Is.EqualTo(200), "Authorize: client credentials at identity's token endpoint");
        Assert.That(authorized.GetProperty("bearer").GetBoolean(), Is.True, "Try it out sends the token it got");
        Assert.That(authorized.GetProperty("callStatus").GetInt32(), Is.EqualTo(200));
        Assert.That(page.GetProperty("messages").EnumerateArray().Select(e => e.GetString()), Is.SupersetOf(ContractMessages().Select(t => t.Name)),
            "the event catalog page lists every message");
        Assert.That(page.GetProperty("filtered").GetInt32(), Is.InRange(1, ContractMessages().Count - 1), "the page's filter narrows the list");
    }

    [Test]
    public async Task Should_publish_a_valid_asyncapi_catalog_of_every_contract()
    {
        using var response = await _http.GetAsync(new Uri(Gateway, "/api/v1/devtools/catalog/asyncapi.json")); // anonymous
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var file = await SaveAsync("asyncapi.json", await response.Content.ReadAsStringAsync());

        var catalog = await SpecTools.RunAsync("asyncapi", file);

        Assert.That(catalog.GetProperty("errors").EnumerateArray().Select(e => e.GetString()), Is.Empty);
        Assert.That(catalog.GetProperty("valid").GetBoolean(), Is.True);
        Assert.That(catalog.GetProperty("version").GetString(), Is.EqualTo("3.0.0"));
        Assert.That(catalog.GetProperty("messages").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(ContractMessages().Select(t => t.Name)));
        Assert.That(catalog.GetProperty("operations").GetInt32(), Is.GreaterThan(ContractMessages().Count), "a send per message and a receive per consumer");
    }

    [Test]
    public async Task Should_let_a_client_generated_from_the_document_create_a_plan_and_an_order()
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(await _http.GetStringAsync(new Uri(Gateway, "/openapi/services/v1.json")));
        var settings = new CSharpClientGeneratorSettings { UseBaseUrl = false, GenerateClientInterfaces = false };
        settings.CSharpGeneratorSettings.Namespace = "Partner.Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        var project = Directory.CreateDirectory(Path.Combine(_files, "client")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "ServicesClient.cs"), code);
        await File.WriteAllTextAsync(Path.Combine(project, "Partner.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>disable</Nullable><NoWarn>CS8669;CS0618;CS0108;CS0114</NoWarn></PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), """
            using System.Net.Http.Headers;
            using Partner.Generated;

            // A partner's program: the generated client, a token and a tenant; a plan, then an order for it.
            var http = new HttpClient { BaseAddress = new Uri(args[0]) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[1]);
            http.DefaultRequestHeaders.Add("X-Tenant-Id", args[2]);
            var plans = new PlansClient(http);
            var plan = await plans.CreateAsync(new CreatePlanRequest
            {
                Code = "partner-" + args[5],
                Name = "Partner 200",
                Terms = new PlanTerms { DownloadMbps = 200, UploadMbps = 50, Price = 34.5, Currency = "EUR", BillingPeriod = "monthly" },
            });
            var orders = new ServiceOrdersClient(http);
            var order = await orders.SubmitAsync("partner-order-" + args[5], new CreateOrderRequest { CustomerId = Guid.Parse(args[3]), PlanId = plan.Id, PoolId = Guid.Parse(args[4]) });
            Console.WriteLine($"{plan.Id} {order.Id}");
            """);
        var (customer, pool) = await CustomerAndPoolAsync(_tenantA);

        var run = await Shell.RunAsync("dotnet", ["run", "--project", project, "--", Gateway.ToString(), _token, _tenantA.ToString(), customer.ToString(), pool.ToString(),
            Guid.NewGuid().ToString("N")[..8]], TimeSpan.FromMinutes(4));

        Assert.That(run.ExitCode, Is.EqualTo(0), $"the generated client compiles and runs: {run.Describe()}\n{run.Output}");
        var ids = run.Output.Trim().Split('\n')[^1].Split(' ').Select(Guid.Parse).ToArray();
        var plan = await SendAsync(HttpMethod.Get, $"/api/v1/services/plans/{ids[0]}", _tenantA);
        Assert.That(plan.Status, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(async () => (await SendAsync(HttpMethod.Get, $"/api/v1/services/service-orders/{ids[1]}", _tenantA)).Body
            .GetProperty("status").GetString() == "active", TimeSpan.FromSeconds(90), () => "the generated client's order to be provisioned");
    }

    [Test]
    public async Task Should_turn_webhooks_off_for_one_tenant_within_two_seconds_and_on_again()
    {
        var subscription = new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "service.activated" } };
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/events/webhooks/subscriptions", _tenantA, subscription)).Status, Is.EqualTo(HttpStatusCode.Created));

        var off = await SendAsync(HttpMethod.Put, $"/api/v1/platform/feature-flags/webhooks/tenants/{_tenantA}", null, new { enabled = false });
        var clock = Stopwatch.StartNew();
        Assert.That(off.Status, Is.EqualTo(HttpStatusCode.OK), off.Body.ToString());

        (HttpStatusCode Status, JsonElement Body) refused = default;
        await Eventually.TrueAsync(async () => (refused = await SendAsync(HttpMethod.Post, "/api/v1/events/webhooks/subscriptions", _tenantA, subscription)).Status
            == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(2), () => "tenant A's webhooks to be off within 2 s");
        TestContext.Progress.WriteLine($"flag in effect in the events service after {clock.ElapsedMilliseconds} ms");
        Assert.That(refused.Body.GetProperty("code").GetString(), Is.EqualTo("feature.disabled"));
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/events/webhooks/subscriptions", _tenantB, subscription)).Status, Is.EqualTo(HttpStatusCode.Created),
            "tenant B's are still on");
        var effective = await SendAsync(HttpMethod.Get, "/api/v1/platform/feature-flags/effective", _tenantA);
        Assert.That(effective.Body.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("key").GetString() == "webhooks").GetProperty("reason").GetString(),
            Is.EqualTo("override"));

        Assert.That((await SendAsync(HttpMethod.Delete, $"/api/v1/platform/feature-flags/webhooks/tenants/{_tenantA}", null)).Status, Is.EqualTo(HttpStatusCode.NoContent));
        await Eventually.TrueAsync(async () => (await SendAsync(HttpMethod.Post, "/api/v1/events/webhooks/subscriptions", _tenantA, subscription)).Status
            == HttpStatusCode.Created, TimeSpan.FromSeconds(2), () => "tenant A's webhooks to be on again within 2 s");

        // What the test subscribed (a closed port) goes, so the shared fleet does not retry it for the rest of the run.
        foreach (var tenant in new[] { _tenantA, _tenantB })
            foreach (var item in (await SendAsync(HttpMethod.Get, "/api/v1/events/webhooks/subscriptions?limit=500", tenant)).Body.GetProperty("items").EnumerateArray())
                Assert.That((await SendAsync(HttpMethod.Delete, $"/api/v1/events/webhooks/subscriptions/{item.GetProperty("id").GetGuid()}", tenant)).Status,
                    Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Should_roll_a_flag_out_to_a_stable_percentage_of_tenants()
    {
        var key = $"rollout-{Guid.NewGuid():N}"[..20];
        var tenants = new List<Guid> { _tenantA, _tenantB };
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 10; i++)
            tenants.Add(await CreateTenantAsync($"rollout-{run}-{i}"));
        var created = await SendAsync(HttpMethod.Post, "/api/v1/platform/feature-flags", null, new { key, description = "A rollout under test", defaultEnabled = false, rolloutPercent = 30 });
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        try
        {
            var at30 = await EnabledAsync(key, tenants);
            Assert.That(await EnabledAsync(key, tenants), Is.EqualTo(at30), "asked again, every tenant gets the same answer");
            Assert.That(at30, Is.EqualTo(tenants.Select(t => FeatureFlagRules.Bucket(key, t) < 30).ToList()), "the tenant's bucket decides");

            Assert.That((await SendAsync(HttpMethod.Put, $"/api/v1/platform/feature-flags/{key}", null, new { description = "A rollout under test", defaultEnabled = false, rolloutPercent = 70 })).Status,
                Is.EqualTo(HttpStatusCode.OK));
            var at70 = await EnabledAsync(key, tenants);
            Assert.That(at30.Zip(at70).Where(p => p.First && !p.Second), Is.Empty, "growing the rollout keeps the tenants it had");
            Assert.That(at70.Count(e => e), Is.GreaterThanOrEqualTo(at30.Count(e => e)));

            // A tenant's own admin reads what is on for the tenant, and changes nothing.
            var admin = await TenantAdminTokenAsync(_tenantA);
            var own = await SendAsync(HttpMethod.Get, "/api/v1/platform/feature-flags/effective", null, token: admin);
            Assert.That(own.Status, Is.EqualTo(HttpStatusCode.OK), own.Body.ToString());
            Assert.That(own.Body.GetProperty("tenantId").GetGuid(), Is.EqualTo(_tenantA));
            Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/platform/feature-flags", null, token: admin)).Status, Is.EqualTo(HttpStatusCode.Forbidden),
                "other tenants' overrides are the platform's");
            Assert.That((await SendAsync(HttpMethod.Put, $"/api/v1/platform/feature-flags/{key}/tenants/{_tenantA}", null, new { enabled = true }, token: admin)).Status,
                Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/platform/feature-flags/effective", Guid.CreateVersion7())).Status, Is.EqualTo(HttpStatusCode.NotFound),
                "no such tenant");
            var bad = await SendAsync(HttpMethod.Post, "/api/v1/platform/feature-flags", null, new { key = "Bad Key", description = "", defaultEnabled = true, rolloutPercent = 101 });
            Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(bad.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "key", "description", "rolloutPercent" }));
            Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/platform/feature-flags", null, new { key, description = "again", defaultEnabled = true })).Status,
                Is.EqualTo(HttpStatusCode.Conflict));
        }
        finally
        {
            Assert.That((await SendAsync(HttpMethod.Delete, $"/api/v1/platform/feature-flags/{key}", null)).Status, Is.EqualTo(HttpStatusCode.NoContent));
        }
        Assert.That((await SendAsync(HttpMethod.Get, $"/api/v1/platform/feature-flags/{key}", null)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>Bounded collections (docs/api-conventions.md) that are plain arrays by design.</summary>
    static readonly string[] BoundedLists =
    [
        "/api/v1/events/history/types", "/api/v1/identity/keys", "/api/v1/identity/clients", "/api/v1/identity/roles",
        "/api/v1/networking/interfaces/top", "/api/v1/networking/devices/{id}/interfaces", "/api/v1/ops/dead-letters/queues",
        "/api/v1/services/plans/{id}/versions", "/api/v1/analytics/rebuilds",
    ];

    [Test]
    public async Task Should_keep_every_list_endpoint_to_the_api_conventions()
    {
        var checkedLists = 0;
        foreach (var service in SharedFleet.Services)
        {
            var document = await _http.GetFromJsonAsync<JsonElement>(new Uri(Gateway, $"/openapi/{service}/v1.json"));
            foreach (var (path, method, operation) in Operations(document).Where(o => o.Method == "get"))
            {
                if (!operation.GetProperty("responses").TryGetProperty("200", out var ok) || !ok.TryGetProperty("content", out var content)
                    || !content.TryGetProperty("application/json", out var json))
                    continue;
                var schema = Resolve(document, json.GetProperty("schema"));
                var query = (operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                    .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToHashSet();
                var members = schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                if (schema.TryGetProperty("type", out var type) && type.GetString() == "array")
                {
                    Assert.That(BoundedLists, Does.Contain(path), $"{path} returns a bare array: page it, or list it as bounded in docs/api-conventions.md");
                    continue;
                }
                if (!members.Contains("items"))
                    continue;
                var shape = members.SetEquals(["items", "total", "limit", "offset"]) ? ("offset", "offset")
                    : members.SetEquals(["items", "next"]) ? ("keyset", "after")
                    : members.SetEquals(["items", "nextCursor", "order"]) ? ("cursor", "cursor")
                    : ("unknown", "");
                Assert.That(shape.Item1, Is.Not.EqualTo("unknown"), $"{path} answers a page of an unknown shape: {string.Join(", ", members)}");
                Assert.That(query, Does.Contain("limit").And.Contain(shape.Item2), $"{path} ({shape.Item1} page) takes limit and {shape.Item2}");
                checkedLists++;
                if (path.Contains('{'))
                    continue;
                var tenant = service is "ops" ? (Guid?)null : _tenantA;
                var tooMany = await SendAsync(HttpMethod.Get, $"{path}?limit=501", tenant);
                Assert.That(tooMany.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), $"{path}?limit=501");
                Assert.That(tooMany.Body.GetProperty("errors").TryGetProperty("limit", out _), Is.True, $"{path}?limit=501 names limit");
                Assert.That((await SendAsync(HttpMethod.Get, $"{path}?limit=500", tenant)).Status, Is.EqualTo(HttpStatusCode.OK), $"{path}?limit=500");
            }
        }
        Assert.That(checkedLists, Is.GreaterThan(20), "every service's lists were seen");
    }

    static IReadOnlyList<Type> ContractMessages() => [.. typeof(IIntegrationEvent).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && (typeof(IIntegrationEvent).IsAssignableFrom(t) || t.Name.EndsWith("Command", StringComparison.Ordinal)
            || t.GetCustomAttribute<PublishedByAttribute>() is not null))];

    static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (path.Name, o.Name, o.Value)));

    static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    // "/api/v1/plans/{id:guid}/" and "/api/v1/plans/{id}" are one route.
    static string Normalize(string path) => RouteParameter().Replace(path, m => "{" + m.Groups[1].Value + "}").TrimEnd('/');

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    async Task<string> SaveAsync(string name, string text)
    {
        var path = Path.Combine(_files, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    async Task<List<bool>> EnabledAsync(string key, IEnumerable<Guid> tenants)
    {
        var enabled = new List<bool>();
        foreach (var tenant in tenants)
        {
            var effective = await SendAsync(HttpMethod.Get, "/api/v1/platform/feature-flags/effective", tenant);
            Assert.That(effective.Status, Is.EqualTo(HttpStatusCode.OK), effective.Body.ToString());
            enabled.Add(effective.Body.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("enabled").GetBoolean());
        }
        return enabled;
    }

    async Task<Guid> CreateTenantAsync(string slug)
    {
        var created = await SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", null, new
        {
            slug, name = slug, plan = "standard",
            settings = new
            {
                currency = "EUR", timeZone = "Europe/Berlin", billingDay = 1,
                taxRates = new[] { new { name = "VAT", percent = 19m, inclusive = false } },
                dunning = new { reminderDays = new[] { 3 }, suspendAfterDays = 14, terminateAfterDays = 60 },
            },
        }, idempotencyKey: slug);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        var id = created.Body.GetProperty("id").GetGuid();
        // Identity and billing learn of the tenant from its events; wait until a customer can be made there.
        return id;
    }

    async Task<(Guid Customer, Guid Pool)> CustomerAndPoolAsync(Guid tenant)
    {
        (HttpStatusCode Status, JsonElement Body) customer = default;
        await Eventually.TrueAsync(async () => (customer = await SendAsync(HttpMethod.Post, "/api/v1/identity/customers", tenant, new
        {
            kind = "residential", name = "Partner Customer", email = $"partner-{Guid.NewGuid():N}@example.com",
            address = new { line1 = "1 Harbour Road", city = "Hamburg", postalCode = "20457", country = "DE" }, portalAccount = false,
        })).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(20), () => $"a customer to be created: {customer.Body}");
        var octet = Random.Shared.Next(0, 250);
        var prefix = await SendAsync(HttpMethod.Post, "/api/v1/networking/ip-prefixes", tenant, new { prefix = $"10.{octet}.0.0/16" });
        Assert.That(prefix.Status, Is.EqualTo(HttpStatusCode.Created), prefix.Body.ToString());
        var pool = await SendAsync(HttpMethod.Post, "/api/v1/networking/ip-pools", tenant, new { name = "partner", prefixId = prefix.Body.GetProperty("id").GetGuid(), network = $"10.{octet}.1.0/24" });
        Assert.That(pool.Status, Is.EqualTo(HttpStatusCode.Created), pool.Body.ToString());
        return (customer.Body.GetProperty("customer").GetProperty("id").GetGuid(), pool.Body.GetProperty("id").GetGuid());
    }

    async Task<string> TenantAdminTokenAsync(Guid tenant)
    {
        var email = $"admin-{Guid.NewGuid():N}@partner.example";
        const string password = "Correct-Horse-Battery-9";
        var user = await SendAsync(HttpMethod.Post, "/api/v1/identity/users", tenant, new { email, displayName = "Partner Admin", password, roles = new[] { "tenant_admin" } });
        Assert.That(user.Status, Is.EqualTo(HttpStatusCode.Created), user.Body.ToString());
        using var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/login"), new { email, password, tenantId = tenant });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, Guid? tenant, object? body = null, string? idempotencyKey = null,
        string? token = null) =>
        GatewayCalls.SendAsync(_http, token ?? _token, method, path, body, tenant, idempotencyKey);
}
