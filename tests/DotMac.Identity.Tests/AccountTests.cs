using Dapper;
using DotMac.Identity.Features;
using DotMac.Identity.Tests.Support;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Identity.Tests;

[TestFixture]
public sealed class When_a_tenant_manages_its_staff_and_customers
{
    const string StaffPassword = "Correct-Horse-42";
    IdentityHost _identity = null!;
    Guid _tenantA;
    Guid _tenantB;
    string _adminA = null!;
    string _adminB = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _identity = await IdentityHost.StartAsync("identity_accounts");
        _tenantA = await _identity.CreateTenantAsync("isp-a");
        _tenantB = await _identity.CreateTenantAsync("isp-b");
        var super = (await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword })).Get("access_token");
        _adminA = await CreateAndLoginAsync(super, _tenantA, "admin@isp-a.test", "tenant_admin");
        _adminB = await CreateAndLoginAsync(super, _tenantB, "admin@isp-b.test", "tenant_admin");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _identity.DisposeAsync();

    async Task<string> CreateAndLoginAsync(string creator, Guid tenant, string email, string role)
    {
        var created = await _identity.Client.PostJsonAsync("/api/v1/users",
            new { email, displayName = email, password = StaffPassword, roles = new[] { role } }, creator, Api.Tenant(tenant));
        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        var login = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email, password = StaffPassword, tenantId = tenant });
        Assert.That(login.Code, Is.EqualTo(200), login.Body.ToString());
        return login.Get("access_token");
    }

    Task<(Guid Id, string PortalId, string Password)> CreateCustomerAsync(string token, string name) =>
        _identity.Client.CreateCustomerAsync("/api/v1/customers", token, name);

    [Test]
    public async Task Should_not_let_a_billing_clerk_manage_users()
    {
        var clerk = await CreateAndLoginAsync(_adminA, _tenantA, "clerk@isp-a.test", "billing_clerk");

        var create = await _identity.Client.PostJsonAsync("/api/v1/users", new { email = "x@isp-a.test", displayName = "X", password = StaffPassword, roles = new[] { "billing_clerk" } }, clerk);
        var list = await _identity.Client.GetJsonAsync("/api/v1/users", clerk);
        var customers = await _identity.Client.GetJsonAsync("/api/v1/customers", clerk);

        Assert.That(create.Code, Is.EqualTo(403));
        Assert.That(list.Code, Is.EqualTo(403));
        Assert.That(customers.Code, Is.EqualTo(200), "a clerk reads the tenant's customers");
    }

    [Test]
    public async Task Should_activate_a_portal_account_and_show_the_customer_only_their_own_record()
    {
        var (mine, portalId, initial) = await CreateCustomerAsync(_adminA, "ada");
        var (other, _, _) = await CreateCustomerAsync(_adminA, "bayo");

        var beforeActivation = await _identity.Client.PostJsonAsync("/api/v1/auth/portal/login", new { portalId, password = initial });
        var activate = await _identity.Client.PostJsonAsync("/api/v1/auth/portal/activate", new { portalId, currentPassword = initial, newPassword = "My-own-Secret-2026" });
        var login = await _identity.Client.PostJsonAsync("/api/v1/auth/portal/login", new { portalId = portalId.ToLowerInvariant(), password = "My-own-Secret-2026" });
        var token = login.Get("access_token");
        var me = await _identity.Client.GetJsonAsync("/api/v1/customers/me", token);
        var byId = await _identity.Client.GetJsonAsync($"/api/v1/customers/{mine}", token);
        var someoneElse = await _identity.Client.GetJsonAsync($"/api/v1/customers/{other}", token);
        var list = await _identity.Client.GetJsonAsync("/api/v1/customers", token);
        var users = await _identity.Client.GetJsonAsync("/api/v1/users", token);

        Assert.That(PortalIds.IsValid(portalId), Is.True, portalId);
        Assert.That(beforeActivation.Code, Is.EqualTo(403));
        Assert.That(beforeActivation.Get("code"), Is.EqualTo("password.change_required"));
        Assert.That(activate.Code, Is.EqualTo(204), activate.Body.ToString());
        Assert.That(login.Code, Is.EqualTo(200));
        Assert.That(me.Body.GetProperty("id").GetGuid(), Is.EqualTo(mine));
        Assert.That(me.Get("portalStatus"), Is.EqualTo("active"));
        Assert.That(byId.Code, Is.EqualTo(200));
        Assert.That(someoneElse.Code, Is.EqualTo(404));
        Assert.That(list.Body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(new[] { mine }));
        Assert.That(users.Code, Is.EqualTo(403));
    }

    [Test]
    public async Task Should_let_staff_name_their_tenant_by_its_slug()
    {
        var bySlug = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "admin@isp-a.test", password = StaffPassword, tenant = "ISP-A" });
        var otherTenant = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "admin@isp-a.test", password = StaffPassword, tenant = "isp-b" });
        var unknown = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "admin@isp-a.test", password = StaffPassword, tenant = "no-such-isp" });
        var platform = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword, tenant = "isp-a" });

        Assert.That(bySlug.Code, Is.EqualTo(200), bySlug.Body.ToString());
        Assert.That(otherTenant.Code, Is.EqualTo(401), "the slug is the tenant's, not any tenant's");
        Assert.That(unknown.Code, Is.EqualTo(401), "an unknown slug never falls back to platform staff");
        Assert.That(platform.Code, Is.EqualTo(401), "platform staff belong to no tenant");
    }

    [Test]
    public async Task Should_search_customers_by_name_email_and_portal_id_within_the_tenant()
    {
        var (id, portalId, _) = await CreateCustomerAsync(_adminA, "zebediah_search");
        await CreateCustomerAsync(_adminB, "zebediah_other");

        async Task<List<Guid>> SearchAsync(string q, string token) =>
            (await _identity.Client.GetJsonAsync($"/api/v1/customers?q={Uri.EscapeDataString(q)}", token)).Body.GetProperty("items").EnumerateArray()
                .Select(c => c.GetProperty("id").GetGuid()).ToList();

        Assert.That(await SearchAsync("ZEBEDIAH", _adminA), Is.EqualTo(new[] { id }), "name, any case, this tenant only");
        Assert.That(await SearchAsync("zebediah_search@example", _adminA), Is.EqualTo(new[] { id }), "e-mail");
        Assert.That(await SearchAsync(portalId.ToLowerInvariant(), _adminA), Is.EqualTo(new[] { id }), "the exact Portal ID, however typed");
        Assert.That(await SearchAsync("zebediah%", _adminA), Is.Empty, "% is a character, not a wildcard");
        var tooLong = await _identity.Client.GetJsonAsync($"/api/v1/customers?q={new string('x', 201)}", _adminA);
        Assert.That(tooLong.Code, Is.EqualTo(422));
    }

    [Test]
    public async Task Should_keep_one_tenant_out_of_another()
    {
        var (customerOfB, _, _) = await CreateCustomerAsync(_adminB, "chidi");
        var users = await _identity.Client.GetJsonAsync("/api/v1/users", _adminB);
        var userOfB = users.Body.GetProperty("items")[0].GetProperty("id").GetGuid();

        var customer = await _identity.Client.GetJsonAsync($"/api/v1/customers/{customerOfB}", _adminA);
        var user = await _identity.Client.GetJsonAsync($"/api/v1/users/{userOfB}", _adminA);
        var named = await _identity.Client.GetJsonAsync("/api/v1/customers", _adminA, Api.Tenant(_tenantB));
        var listA = await _identity.Client.GetJsonAsync("/api/v1/customers", _adminA);

        Assert.That(customer.Code, Is.EqualTo(404));
        Assert.That(user.Code, Is.EqualTo(404));
        Assert.That(named.Code, Is.EqualTo(403));
        Assert.That(listA.Body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("tenantId").GetGuid()), Has.All.EqualTo(_tenantA));
    }

    [Test]
    public async Task Should_lock_an_account_for_30_minutes_after_five_failures_even_for_the_right_password()
    {
        await CreateAndLoginAsync(_adminA, _tenantA, "noc@isp-a.test", "noc_engineer");
        var codes = new List<int>();
        for (var i = 0; i < 5; i++)
            codes.Add((await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "noc@isp-a.test", password = "Wrong-Password-9", tenantId = _tenantA })).Code);

        var right = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "noc@isp-a.test", password = StaffPassword, tenantId = _tenantA });

        Assert.That(codes, Has.All.EqualTo(401));
        Assert.That(right.Code, Is.EqualTo(401));
        Assert.That(right.Get("code"), Is.EqualTo("login.locked_out"));
        await using var connection = new NpgsqlConnection(_identity.Database.ConnectionString);
        var lockedUntil = await connection.QuerySingleAsync<DateTime>("select locked_until from users where email = 'noc@isp-a.test'");
        Assert.That(lockedUntil - DateTime.UtcNow, Is.EqualTo(TimeSpan.FromMinutes(30)).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task Should_require_a_new_password_after_90_days()
    {
        await CreateAndLoginAsync(_adminA, _tenantA, "old@isp-a.test", "support_agent");
        await using (var connection = new NpgsqlConnection(_identity.Database.ConnectionString))
            await connection.ExecuteAsync("update users set password_changed_at = now() - interval '91 days' where email = 'old@isp-a.test'");

        var expired = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "old@isp-a.test", password = StaffPassword, tenantId = _tenantA });
        var change = await _identity.Client.PostJsonAsync("/api/v1/auth/password", new { email = "old@isp-a.test", tenantId = _tenantA, currentPassword = StaffPassword, newPassword = "Brand-New-Pass-7" });
        var after = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = "old@isp-a.test", password = "Brand-New-Pass-7", tenantId = _tenantA });

        Assert.That(expired.Code, Is.EqualTo(403));
        Assert.That(expired.Get("code"), Is.EqualTo("password.expired"));
        Assert.That(change.Code, Is.EqualTo(204), change.Body.ToString());
        Assert.That(after.Code, Is.EqualTo(200));
    }

    [TestCase("short-1A", TestName = "Should_refuse_a_short_password")]
    [TestCase("alllowercase-and-long-1", TestName = "Should_refuse_a_password_without_capitals")]
    [TestCase("Weakling-Admin-12", TestName = "Should_refuse_a_password_containing_the_login_name")]
    public async Task Should_enforce_the_password_policy(string password)
    {
        var reply = await _identity.Client.PostJsonAsync("/api/v1/users", new { email = "weakling-admin@isp-a.test", displayName = "W", password, roles = new[] { "support_agent" } }, _adminA);

        Assert.That(reply.Code, Is.EqualTo(422));
        Assert.That(reply.Body.GetProperty("errors").TryGetProperty("password", out _), Is.True);
    }

    [Test]
    public async Task Should_let_a_tenant_define_custom_roles_within_what_its_admin_holds()
    {
        var created = await _identity.Client.PostJsonAsync("/api/v1/roles", new { name = "field_tech", description = "Installs", permissions = new[] { "network:read:tenant", "customers:read:own" } }, _adminA);
        var global = await _identity.Client.PostJsonAsync("/api/v1/roles", new { name = "sneaky", description = "", permissions = new[] { "customers:read:global" } }, _adminA);
        var notHeld = await _identity.Client.PostJsonAsync("/api/v1/roles", new { name = "keymaster", description = "", permissions = new[] { "keys:write:tenant" } }, _adminA);
        var superAdmin = await _identity.Client.PostJsonAsync("/api/v1/users", new { email = "boss@isp-a.test", displayName = "B", password = StaffPassword, roles = new[] { "super_admin" } }, _adminA);
        var rolesOfB = await _identity.Client.GetJsonAsync("/api/v1/roles", _adminB);

        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        Assert.That(global.Code, Is.EqualTo(422));
        Assert.That(notHeld.Code, Is.EqualTo(403));
        Assert.That(superAdmin.Code, Is.EqualTo(403));
        Assert.That(rolesOfB.Body.EnumerateArray().Select(r => r.GetProperty("name").GetString()), Does.Not.Contain("field_tech"));
        await CreateAndLoginAsync(_adminA, _tenantA, "tech@isp-a.test", "field_tech");
    }

    [TestCase("""{"kind": "residential", "name": "x"}""", 400, TestName = "Should_answer_400_for_a_customer_with_missing_fields")]
    [TestCase("""{"kind": "martian", "name": "x", "email": "nope", "portalAccount": false, "address": {"line1": "", "city": "c", "postalCode": "1", "country": "ng"}}""", 422, TestName = "Should_answer_422_for_an_invalid_customer")]
    [TestCase("""{"kind": """, 400, TestName = "Should_answer_400_for_malformed_customer_json")]
    public async Task Should_refuse_bad_customer_input(string body, int status)
    {
        var reply = await _identity.Client.PostJsonAsync("/api/v1/customers", body, _adminA);

        Assert.That(reply.Code, Is.EqualTo(status), reply.Body.ToString());
    }
}
