using DotMac.Identity.Tests.Support;
using DotMac.Identity.Tokens;
using DotMac.ServiceDefaults.Auth;
using DotMac.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Platform.Tests;

[TestFixture]
public sealed class When_platform_staff_manage_tenants
{
    IdentityHost _identity = null!;
    LocalApp _platform = null!;
    TestDatabase _platformDb = null!;
    string _admin = null!;

    static object Settings(string currency = "NGN", string timeZone = "Africa/Lagos", int billingDay = 1) => new
    {
        currency, timeZone, billingDay,
        taxRates = new[] { new { name = "VAT", percent = 7.5m, inclusive = false } },
        dunning = new { reminderDays = new[] { 3, 7 }, suspendAfterDays = 14, terminateAfterDays = 45 },
    };

    [OneTimeSetUp]
    public async Task Start()
    {
        _identity = await IdentityHost.StartAsync("platform_identity");
        (_platform, _platformDb) = await PlatformHost.StartAsync("platform_tenants", _identity.Address, _identity.VirtualHost.ConnectionString);
        _admin = (await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword })).Get("access_token");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _platform.DisposeAsync();
        await _platformDb.DisposeAsync();
        await _identity.DisposeAsync();
    }

    /// <summary>A tenant admin's token, issued by the real identity (its key, its issuer).</summary>
    async Task<string> TenantAdminTokenAsync(Guid tenantId)
    {
        var issuer = _identity.App.App.Services.GetRequiredService<AccessTokenIssuer>();
        return await issuer.IssueAsync(new TokenSubject(Guid.NewGuid(), CallerKind.Staff, tenantId, null, ["tenant_admin"],
            [new Permission("tenants", "read", PermissionScope.Tenant), new Permission("users", "write", PermissionScope.Tenant)], "standard"), CancellationToken.None);
    }

    async Task<Guid> CreateAsync(string slug)
    {
        var created = await _platform.Client.PostJsonAsync("/api/v1/tenants", new { slug, name = slug, plan = "standard", settings = Settings() }, _admin);
        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        return Guid.Parse(created.Get("id"));
    }

    [Test]
    public async Task Should_create_a_tenant_and_tell_identity()
    {
        var created = await _platform.Client.PostJsonAsync("/api/v1/tenants",
            new { slug = "lagos-fibre", name = "Lagos Fibre", plan = "enterprise", settings = Settings() }, _admin);

        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        Assert.That(created.Body.GetProperty("settings").GetProperty("currency").GetString(), Is.EqualTo("NGN"));
        var id = Guid.Parse(created.Get("id"));
        await using var identityDb = new NpgsqlConnection(_identity.Database.ConnectionString);
        await identityDb.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? plan = null;
        while (plan is null && DateTime.UtcNow < deadline)
        {
            await using var command = new NpgsqlCommand("select plan from tenants where id = @id", identityDb);
            command.Parameters.AddWithValue("id", id);
            plan = (string?)await command.ExecuteScalarAsync();
            await Task.Delay(50);
        }
        Assert.That(plan, Is.EqualTo("enterprise"), "identity consumed TenantCreated from the real broker");
    }

    [Test]
    public async Task Should_refuse_a_second_tenant_with_the_same_slug_with_409()
    {
        await CreateAsync("twin-isp");
        var again = await _platform.Client.PostJsonAsync("/api/v1/tenants", new { slug = "twin-isp", name = "Twin", plan = "standard", settings = Settings() }, _admin);

        Assert.That(again.Code, Is.EqualTo(409));
    }

    [Test]
    public async Task Should_refuse_invalid_settings_with_422_naming_every_field()
    {
        var body = new
        {
            slug = "bad-settings", name = "Bad", plan = "standard",
            settings = new
            {
                currency = "usd", timeZone = "Mars/Olympus", billingDay = 31,
                taxRates = new[]
                {
                    new { name = "A", percent = 1m, inclusive = true }, new { name = "B", percent = 2m, inclusive = false },
                    new { name = "C", percent = 3m, inclusive = false }, new { name = "D", percent = 101m, inclusive = false },
                },
                dunning = new { reminderDays = new[] { 7, 3 }, suspendAfterDays = 5, terminateAfterDays = 2 },
            },
        };

        var reply = await _platform.Client.PostJsonAsync("/api/v1/tenants", body, _admin);

        Assert.That(reply.Code, Is.EqualTo(422), reply.Body.ToString());
        var fields = reply.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(fields, Is.SupersetOf(new[]
        {
            "settings.currency", "settings.timeZone", "settings.billingDay", "settings.taxRates", "settings.taxRates[3].percent",
            "settings.dunning.reminderDays", "settings.dunning.terminateAfterDays",
        }));
    }

    [TestCase("""{"slug": "x1", "name": "X"}""", TestName = "Should_answer_400_for_missing_fields")]
    [TestCase("""{"slug": "x1", "name": """, TestName = "Should_answer_400_for_malformed_json")]
    public async Task Should_answer_400_for_bad_json(string body)
    {
        var reply = await _platform.Client.PostJsonAsync("/api/v1/tenants", body, _admin);

        Assert.That(reply.Code, Is.EqualTo(400));
    }

    [Test]
    public async Task Should_change_settings_and_count_the_version()
    {
        var id = await CreateAsync("settings-isp");

        var changed = await _platform.Client.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{id}/settings", Settings("EUR", "Europe/Berlin", 15), _admin);

        Assert.That(changed.Code, Is.EqualTo(200), changed.Body.ToString());
        Assert.That(changed.Body.GetProperty("settingsVersion").GetInt32(), Is.EqualTo(2));
        Assert.That(changed.Body.GetProperty("settings").GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Berlin"));
    }

    [Test]
    public async Task Should_let_a_tenant_admin_read_only_their_own_tenant()
    {
        var own = await CreateAsync("own-isp");
        var other = await CreateAsync("other-isp");
        var token = await TenantAdminTokenAsync(own);

        var readOwn = await _platform.Client.GetJsonAsync($"/api/v1/tenants/{own}", token);
        var readOther = await _platform.Client.GetJsonAsync($"/api/v1/tenants/{other}", token);
        var list = await _platform.Client.GetJsonAsync("/api/v1/tenants", token);
        var create = await _platform.Client.PostJsonAsync("/api/v1/tenants", new { slug = "sneaky", name = "S", plan = "standard", settings = Settings() }, token);

        Assert.That(readOwn.Code, Is.EqualTo(200));
        Assert.That(readOther.Code, Is.EqualTo(404));
        Assert.That(list.Body.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()), Is.EqualTo(new[] { own }));
        Assert.That(create.Code, Is.EqualTo(403));
    }

    [Test]
    public async Task Should_serve_v2_beside_v1()
    {
        var id = await CreateAsync("versioned-isp");

        var v1 = await _platform.Client.GetJsonAsync($"/api/v1/tenants/{id}", _admin);
        var v2 = await _platform.Client.GetJsonAsync($"/api/v2/tenants/{id}", _admin);

        Assert.That(v1.Body.GetProperty("settings").GetProperty("currency").GetString(), Is.EqualTo("NGN"));
        Assert.That(v2.Body.GetProperty("billing").GetProperty("currency").GetString(), Is.EqualTo("NGN"));
        Assert.That(v2.Body.TryGetProperty("createdAt", out _), Is.True);
    }

    [Test]
    public async Task Should_answer_401_without_a_token_and_400_for_a_bad_uuid()
    {
        var anonymous = await _platform.Client.GetJsonAsync("/api/v1/tenants");
        var badId = await _platform.Client.GetJsonAsync("/api/v1/tenants/not-a-uuid", _admin);

        Assert.That(anonymous.Code, Is.EqualTo(401));
        Assert.That(badId.Code, Is.AnyOf(400, 404));
    }
}
