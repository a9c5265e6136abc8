using DotMac.Identity.Keys;
using DotMac.Identity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Gateway.Tests;

/// <summary>
/// The acceptance story, through the gateway only, as a new user would: super admin, tenants A and B, A's
/// admin, a billing clerk, a customer who activates their portal account.
/// </summary>
[TestFixture]
public sealed class Through_the_gateway
{
    const string StaffPassword = "Correct-Horse-42";
    Fleet _fleet = null!;
    HttpClient _gw = null!;
    string _super = null!;
    Guid _tenantA, _tenantB;
    string _adminA = null!, _adminB = null!, _clerkA = null!, _customer = null!;
    Guid _customerId, _otherCustomerOfA, _customerOfB;

    static object Settings => new
    {
        currency = "NGN", timeZone = "Africa/Lagos", billingDay = 1,
        taxRates = new[] { new { name = "VAT", percent = 7.5m, inclusive = false } },
        dunning = new { reminderDays = new[] { 3, 7 }, suspendAfterDays = 14, terminateAfterDays = 45 },
    };

    [OneTimeSetUp]
    public async Task The_story()
    {
        _fleet = await Fleet.StartAsync("gw_accept", new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:LoginPerMinute"] = "1000", // the 10/min default is tested on its own gateway below
            ["Gateway:CorsOrigins:0"] = "https://portal.isp-a.test",
        });
        _gw = _fleet.Client;

        _super = await LoginAsync(new { email = IdentityHost.AdminEmail, password = _fleet.Identity.AdminPassword });
        _tenantA = await CreateTenantAsync("isp-a");
        _tenantB = await CreateTenantAsync("isp-b");
        _adminA = await CreateStaffAsync(_super, _tenantA, "admin@isp-a.test", "tenant_admin");
        _adminB = await CreateStaffAsync(_super, _tenantB, "admin@isp-b.test", "tenant_admin");
        _clerkA = await CreateStaffAsync(_adminA, _tenantA, "clerk@isp-a.test", "billing_clerk");

        (_customerId, var portalId, var initial) = await CreateCustomerAsync(_adminA, "ada");
        (_otherCustomerOfA, _, _) = await CreateCustomerAsync(_adminA, "bayo");
        (_customerOfB, _, _) = await CreateCustomerAsync(_adminB, "chidi");
        var activate = await _gw.PostJsonAsync("/api/v1/identity/auth/portal/activate", new { portalId, currentPassword = initial, newPassword = "Ada-Lovelace-1815" });
        Assert.That(activate.Code, Is.EqualTo(204), activate.Body.ToString());
        _customer = await LoginAsync(new { portalId, password = "Ada-Lovelace-1815" }, "/api/v1/identity/auth/portal/login");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _fleet.DisposeAsync();

    async Task<string> LoginAsync(object body, string path = "/api/v1/identity/auth/login")
    {
        var login = await _gw.PostJsonAsync(path, body);
        Assert.That(login.Code, Is.EqualTo(200), $"{path}: {login.Body}");
        return login.Get("access_token");
    }

    async Task<Guid> CreateTenantAsync(string slug)
    {
        var created = await _gw.PostJsonAsync("/api/v1/platform/tenants", new { slug, name = slug, plan = "standard", settings = Settings }, _super);
        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        return Guid.Parse(created.Get("id"));
    }

    /// <summary>Identity learns of a new tenant from platform's event a moment later; a client retries a 404 meanwhile.</summary>
    async Task<string> CreateStaffAsync(string creator, Guid tenant, string email, string role)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Api.Reply created;
        do
        {
            created = await _gw.PostJsonAsync("/api/v1/identity/users", new { email, displayName = email, password = StaffPassword, roles = new[] { role } }, creator, Api.Tenant(tenant));
            if (created.Code == 404)
                await Task.Delay(100);
        }
        while (created.Code == 404 && DateTime.UtcNow < deadline);
        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        return await LoginAsync(new { email, password = StaffPassword, tenantId = tenant });
    }

    Task<(Guid Id, string PortalId, string Password)> CreateCustomerAsync(string token, string name) =>
        _gw.CreateCustomerAsync("/api/v1/identity/customers", token, name);

    [Test]
    public async Task The_customer_reads_their_own_profile_and_no_one_else()
    {
        var me = await _gw.GetJsonAsync("/api/v1/identity/customers/me", _customer);
        var other = await _gw.GetJsonAsync($"/api/v1/identity/customers/{_otherCustomerOfA}", _customer);

        Assert.That(me.Code, Is.EqualTo(200));
        Assert.That(me.Body.GetProperty("id").GetGuid(), Is.EqualTo(_customerId));
        Assert.That(other.Code, Is.EqualTo(404));
    }

    [Test]
    public async Task A_admin_reaches_nothing_of_B()
    {
        var replies = new Dictionary<string, Api.Reply>
        {
            ["B's tenant record"] = await _gw.GetJsonAsync($"/api/v1/platform/tenants/{_tenantB}", _adminA),
            ["B's tenant record, v2"] = await _gw.GetJsonAsync($"/api/v2/platform/tenants/{_tenantB}", _adminA),
            ["B's customer"] = await _gw.GetJsonAsync($"/api/v1/identity/customers/{_customerOfB}", _adminA),
            ["B's customers, by header"] = await _gw.GetJsonAsync("/api/v1/identity/customers", _adminA, Api.Tenant(_tenantB)),
            ["B's users, by header"] = await _gw.GetJsonAsync("/api/v1/identity/users", _adminA, Api.Tenant(_tenantB)),
            ["a customer in B"] = await _gw.PostJsonAsync("/api/v1/identity/customers", new
            {
                kind = "business", name = "x", email = "x@example.test", portalAccount = false,
                address = new { line1 = "1", city = "c", postalCode = "1", country = "NG" },
            }, _adminA, Api.Tenant(_tenantB)),
        };
        var ownList = await _gw.GetJsonAsync("/api/v1/identity/customers", _adminA);

        foreach (var (what, reply) in replies)
            Assert.That(reply.Code, Is.AnyOf(403, 404), what);
        Assert.That(ownList.Body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Does.Not.Contain(_customerOfB));
    }

    [Test]
    public async Task Only_platform_staff_reach_ops()
    {
        Assert.That((await _gw.GetJsonAsync("/api/v1/ops/info", _adminA)).Code, Is.EqualTo(403), "a tenant admin");
        Assert.That((await _gw.GetJsonAsync("/api/v1/ops/info", _customer)).Code, Is.EqualTo(403), "a customer");
        Assert.That((await _gw.GetJsonAsync("/api/v1/ops/info", null)).Code, Is.EqualTo(401), "no token");
        Assert.That((await _gw.GetJsonAsync("/api/v1/ops/info", _super)).Code, Is.EqualTo(200), "the super admin");
    }

    [Test]
    public async Task The_billing_clerk_cannot_manage_users()
    {
        var create = await _gw.PostJsonAsync("/api/v1/identity/users", new { email = "x@isp-a.test", displayName = "X", password = StaffPassword, roles = new[] { "support_agent" } }, _clerkA);
        var tenants = await _gw.PostJsonAsync("/api/v1/platform/tenants", new { slug = "clerk-isp", name = "x", plan = "standard", settings = Settings }, _clerkA);

        Assert.That(create.Code, Is.EqualTo(403));
        Assert.That(tenants.Code, Is.EqualTo(403));
    }

    [Test]
    public async Task Forged_none_expired_misaddressed_and_unknown_kid_tokens_get_401()
    {
        var credentials = await _fleet.Identity.App.App.Services.GetRequiredService<SigningKeyRing>().SigningCredentialsAsync(CancellationToken.None);
        var forged = TokenForge.AllForged(credentials, _adminA);

        foreach (var (name, token) in forged)
        {
            foreach (var path in new[] { "/api/v1/platform/tenants", "/api/v1/identity/users/me" })
            {
                var reply = await _gw.GetJsonAsync(path, token);
                Assert.That(reply.Code, Is.EqualTo(401), $"{name} on {path}");
                Assert.That(reply.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
            }
        }
        Assert.That((await _gw.GetJsonAsync("/api/v1/platform/tenants")).Code, Is.EqualTo(401), "no token at all");
    }

    [Test]
    public async Task Sixth_wrong_password_locks_even_the_right_one()
    {
        await CreateStaffAsync(_adminA, _tenantA, "noc@isp-a.test", "noc_engineer");
        for (var i = 0; i < 5; i++)
            await _gw.PostJsonAsync("/api/v1/identity/auth/login", new { email = "noc@isp-a.test", password = "Wrong-Password-9", tenantId = _tenantA });

        var right = await _gw.PostJsonAsync("/api/v1/identity/auth/login", new { email = "noc@isp-a.test", password = StaffPassword, tenantId = _tenantA });

        Assert.That(right.Code, Is.EqualTo(401));
        Assert.That(right.Get("code"), Is.EqualTo("login.locked_out"));
    }

    [Test]
    public async Task A_refresh_token_used_twice_revokes_its_family()
    {
        var login = await _gw.PostJsonAsync("/api/v1/identity/auth/login", new { email = "clerk@isp-a.test", password = StaffPassword, tenantId = _tenantA });
        var first = login.Get("refresh_token");

        var second = await _gw.PostJsonAsync("/api/v1/identity/auth/refresh", new { refreshToken = first });
        var replay = await _gw.PostJsonAsync("/api/v1/identity/auth/refresh", new { refreshToken = first });
        var next = await _gw.PostJsonAsync("/api/v1/identity/auth/refresh", new { refreshToken = second.Get("refresh_token") });

        Assert.That(second.Code, Is.EqualTo(200));
        Assert.That(replay.Code, Is.EqualTo(401));
        Assert.That(next.Code, Is.EqualTo(401));
    }

    [Test]
    public async Task A_partner_client_gets_a_token_by_client_credentials_with_only_its_scopes()
    {
        var client = await _gw.PostJsonAsync("/api/v1/identity/clients", new { name = "CRM", scopes = new[] { "customers:read" } }, _adminA);
        Assert.That(client.Code, Is.EqualTo(201), client.Body.ToString());
        var token = await _gw.PostJsonAsync("/api/v1/identity/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.Get("clientId"), ["client_secret"] = client.Get("clientSecret"),
        }));
        var access = token.Get("access_token");

        var read = await _gw.GetJsonAsync("/api/v1/identity/customers", access);
        var write = await _gw.PostJsonAsync("/api/v1/identity/customers", new
        {
            kind = "business", name = "x", email = "x@example.test", portalAccount = false,
            address = new { line1 = "1", city = "c", postalCode = "1", country = "NG" },
        }, access);
        var users = await _gw.GetJsonAsync("/api/v1/identity/users", access);

        Assert.That(read.Code, Is.EqualTo(200));
        Assert.That(read.Body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("tenantId").GetGuid()), Has.All.EqualTo(_tenantA));
        Assert.That(write.Code, Is.EqualTo(403));
        Assert.That(users.Code, Is.EqualTo(403));
    }

    [Test]
    public async Task Malformed_input_is_a_problem_never_a_500()
    {
        var cases = new (string Name, Func<Task<Api.Reply>> Send, int[] Expected)[]
        {
            ("malformed json", () => _gw.PostJsonAsync("/api/v1/identity/customers", """{"kind": """, _adminA), [400]),
            ("missing fields", () => _gw.PostJsonAsync("/api/v1/identity/customers", """{"kind": "business"}""", _adminA), [400]),
            ("invalid fields", () => _gw.PostJsonAsync("/api/v1/platform/tenants", new { slug = "X!", name = "", plan = "gold", settings = Settings }, _super), [422]),
            ("bad uuid", () => _gw.GetJsonAsync("/api/v1/identity/customers/not-a-uuid", _adminA), [400, 404]),
            ("bad tenant header", () => _gw.GetJsonAsync("/api/v1/identity/customers", _super, new Dictionary<string, string> { ["X-Tenant-Id"] = "zzz" }), [400, 422]),
            ("bad cursor", () => _gw.GetJsonAsync("/api/v1/identity/customers?after=%%%", _adminA), [400, 422]),
            ("oversized body", () => _gw.PostJsonAsync("/api/v1/identity/customers", new string('x', 2 * 1024 * 1024), _adminA), [413]),
            ("oversized login", () => _gw.PostJsonAsync("/api/v1/identity/auth/login", $$"""{"email": "{{new string('a', 2 * 1024 * 1024)}}", "password": "x"}"""), [413]),
            ("login without body", () => _gw.PostJsonAsync("/api/v1/identity/auth/login", null), [400, 415]),
            ("numbers as strings", () => _gw.PostJsonAsync("/api/v1/identity/auth/login", """{"email": 5, "password": "x"}"""), [400]),
        };
        foreach (var (name, send, expected) in cases)
        {
            var reply = await send();
            Assert.That(reply.Code, Is.AnyOf(expected.Cast<object>().ToArray()), $"{name}: {reply.Body}");
        }
    }

    [Test]
    public async Task Version_2_is_served_next_to_version_1()
    {
        var v1 = await _gw.GetJsonAsync($"/api/v1/platform/tenants/{_tenantA}", _adminA);
        var v2 = await _gw.GetJsonAsync($"/api/v2/platform/tenants/{_tenantA}", _adminA);
        var v2Elsewhere = await _gw.GetJsonAsync("/api/v2/identity/users/me", _adminA);

        Assert.That(v1.Body.GetProperty("settings").GetProperty("currency").GetString(), Is.EqualTo("NGN"));
        Assert.That(v2.Body.GetProperty("billing").GetProperty("currency").GetString(), Is.EqualTo("NGN"));
        Assert.That(v2Elsewhere.Code, Is.EqualTo(404), "a version a service does not serve is its 404");
    }

    [Test]
    public async Task Browsers_from_a_configured_portal_origin_may_call_others_may_not()
    {
        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/identity/customers/me");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            using var response = await _gw.SendAsync(request);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.That(await PreflightAsync("https://portal.isp-a.test"), Is.EqualTo("https://portal.isp-a.test"));
        Assert.That(await PreflightAsync("https://evil.example"), Is.Null);
    }

    [Test]
    public async Task Requests_carry_a_request_id_back()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/identity/users/me");
        request.Headers.Authorization = new("Bearer", _adminA);
        request.Headers.Add("X-Request-Id", "trace-me-42");
        using var response = await _gw.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.EqualTo("trace-me-42"));
    }
}
