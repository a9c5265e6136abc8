using DotMac.Identity.Tests.Support;
using NUnit.Framework;

namespace DotMac.Gateway.Tests;

/// <summary>The gateway's default limits: 10 logins a minute per IP; authenticated calls by the tenant's plan.</summary>
[TestFixture]
public sealed class When_callers_exceed_their_limits
{
    Fleet _fleet = null!;

    [OneTimeSetUp]
    public async Task Start() => _fleet = await Fleet.StartAsync("gw_limits", new Dictionary<string, string?>
    {
        // Only the starter plan is made tiny here; the login limit is the shipped default.
        ["Gateway:RateLimits:Plans:starter:PerSecond"] = "1",
        ["Gateway:RateLimits:Plans:starter:Burst"] = "3",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _fleet.DisposeAsync();

    [Test]
    public async Task Should_answer_the_eleventh_login_in_a_minute_with_429_and_retry_after()
    {
        var codes = new List<int>();
        Api.Reply last = null!;
        for (var i = 0; i < 11; i++)
        {
            last = await _fleet.Client.PostJsonAsync("/api/v1/identity/auth/portal/login", new { portalId = "ABCDEFGH", password = "Wrong-Password-1" });
            codes.Add(last.Code);
        }

        Assert.That(codes.Take(10), Has.All.EqualTo(401));
        Assert.That(last.Code, Is.EqualTo(429));
        Assert.That(last.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
        Assert.That(last.Get("title"), Is.EqualTo("Too many requests"));
    }

    [Test]
    public async Task Should_limit_a_starter_tenant_sooner_than_an_enterprise_one()
    {
        var issuer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DotMac.Identity.Tokens.AccessTokenIssuer>(_fleet.Identity.App.App.Services);
        async Task<string> TokenAsync(string plan) => await issuer.IssueAsync(new DotMac.Identity.Tokens.TokenSubject(Guid.NewGuid(),
            DotMac.ServiceDefaults.Auth.CallerKind.Staff, Guid.NewGuid(), null, ["support_agent"], [], plan), CancellationToken.None);
        var starter = await TokenAsync("starter");
        var enterprise = await TokenAsync("enterprise");

        var starterCodes = new List<int>();
        var enterpriseCodes = new List<int>();
        Api.Reply limited = null!;
        for (var i = 0; i < 8; i++)
        {
            var reply = await _fleet.Client.GetJsonAsync("/api/v1/identity/users/me", starter);
            starterCodes.Add(reply.Code);
            if (reply.Code == 429)
                limited = reply;
            enterpriseCodes.Add((await _fleet.Client.GetJsonAsync("/api/v1/identity/users/me", enterprise)).Code);
        }

        Assert.That(starterCodes, Does.Contain(429));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.Not.Null);
        Assert.That(enterpriseCodes, Has.None.EqualTo(429));
    }
}
