using System.Net;
using System.Net.Http.Json;
using DotMac.Identity.Tests.Support;
using DotMac.Services.Plans;
using DotMac.ServiceDefaults.Http;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>The plan catalog through the services API: versioned terms, validation, tenancy, permissions.</summary>
public class PlanCatalogTests
{
    static readonly PlanTerms Home100 = new(100, 20, 30.00m, "USD", BurstDownloadMbps: 150, BurstUploadMbps: 30, BurstSeconds: 30,
        DataCapGb: 500, FairUseDownloadMbps: 10, FairUseUploadMbps: 2);

    ServicesHost _host = null!;
    readonly Guid _tenant = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task Start() => _host = await ServicesHost.StartAsync("services_plans");

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_plan_is_created_at_version_1_and_new_terms_make_version_2_while_version_1_stays_readable()
    {
        var plan = await CreateAsync($"home-{Guid.NewGuid():N}"[..12], Home100);
        using var revise = await _host.SendAsync(HttpMethod.Put, $"/api/v1/plans/{plan.Id}/terms", _tenant, Home100 with { Price = 35.50m, DownloadMbps = 120, BurstDownloadMbps = 180 });
        var revised = (await revise.Content.ReadFromJsonAsync<PlanResponse>())!;
        using var v1 = await _host.SendAsync(HttpMethod.Get, $"/api/v1/plans/{plan.Id}/versions/1", _tenant);
        using var versions = await _host.SendAsync(HttpMethod.Get, $"/api/v1/plans/{plan.Id}/versions", _tenant);

        Assert.That((plan.Version, plan.Status, plan.Terms), Is.EqualTo((1, "active", Home100)));
        Assert.That(revise.StatusCode, Is.EqualTo(HttpStatusCode.OK), await revise.Content.ReadAsStringAsync());
        Assert.That((revised.Version, revised.Terms.Price, revised.Terms.DownloadMbps), Is.EqualTo((2, 35.50m, 120)));
        Assert.That((await v1.Content.ReadFromJsonAsync<PlanVersionResponse>())!.Terms, Is.EqualTo(Home100));
        Assert.That((await versions.Content.ReadFromJsonAsync<List<PlanVersionResponse>>())!.Select(v => v.Version), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task A_retired_plan_cannot_change_and_lists_filter_by_status()
    {
        var plan = await CreateAsync($"old-{Guid.NewGuid():N}"[..12], Home100 with { DataCapGb = null, FairUseDownloadMbps = null, FairUseUploadMbps = null });
        using var retire = await _host.SendAsync(HttpMethod.Post, $"/api/v1/plans/{plan.Id}/retire", _tenant);
        using var revise = await _host.SendAsync(HttpMethod.Put, $"/api/v1/plans/{plan.Id}/terms", _tenant, Home100);
        using var retired = await _host.SendAsync(HttpMethod.Get, "/api/v1/plans?status=retired&limit=500", _tenant);
        using var active = await _host.SendAsync(HttpMethod.Get, "/api/v1/plans?status=active&limit=500", _tenant);

        Assert.That((await retire.Content.ReadFromJsonAsync<PlanResponse>())!.Status, Is.EqualTo("retired"));
        Assert.That(revise.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await retired.Content.ReadFromJsonAsync<Page<PlanResponse>>())!.Items.Select(p => p.Id), Does.Contain(plan.Id));
        Assert.That((await active.Content.ReadFromJsonAsync<Page<PlanResponse>>())!.Items.Select(p => p.Id), Does.Not.Contain(plan.Id));
    }

    [Test]
    public async Task Bad_terms_duplicate_codes_other_tenants_and_missing_permissions_are_problems()
    {
        var code = $"dup-{Guid.NewGuid():N}"[..12];
        var plan = await CreateAsync(code, Home100);
        using var duplicate = await _host.SendAsync(HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest(code, "Again", Home100));
        using var invalid = await _host.SendAsync(HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest("Bad Code!", "",
            new PlanTerms(0, 10, -1m, "usd", "weekly", BurstDownloadMbps: 5, DataCapGb: null, FairUseDownloadMbps: 5, FairUseUploadMbps: 1)));
        using var fractionOfCent = await _host.SendAsync(HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest("fractions", "x", Home100 with { Price = 1.00001m }));
        using var stranger = await _host.SendAsync(HttpMethod.Get, $"/api/v1/plans/{plan.Id}", Guid.NewGuid());
        using var strangerRevise = await _host.SendAsync(HttpMethod.Put, $"/api/v1/plans/{plan.Id}/terms", Guid.NewGuid(), Home100);
        var readOnly = await TrustedIdentity.TokenAsync(_tenant, "support_agent", TrustedIdentity.TenantPermissions("services", "read"));
        using var readOnlyCreate = await _host.Client.SendAsync(HttpMethod.Post, "/api/v1/plans", readOnly, new CreatePlanRequest("ro", "ro", Home100));
        using var readOnlyGet = await _host.Client.SendAsync(HttpMethod.Get, $"/api/v1/plans/{plan.Id}", readOnly);
        using var anonymous = await _host.Client.SendAsync(HttpMethod.Get, "/api/v1/plans", (string?)null);

        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = await invalid.Content.ReadAsStringAsync();
        foreach (var field in new[] { "code", "name", "terms.downloadMbps", "terms.price", "terms.currency", "terms.billingPeriod", "terms.burstUploadMbps", "terms.burstSeconds", "terms.fairUseDownloadMbps" })
            Assert.That(problem, Does.Contain($"\"{field}\""));
        Assert.That(fractionOfCent.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((stranger.StatusCode, strangerRevise.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That((readOnlyCreate.StatusCode, readOnlyGet.StatusCode, anonymous.StatusCode),
            Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Unauthorized)));
    }

    async Task<PlanResponse> CreateAsync(string code, PlanTerms terms)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/plans", _tenant, new CreatePlanRequest(code, $"Plan {code}", terms));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PlanResponse>())!;
    }
}
