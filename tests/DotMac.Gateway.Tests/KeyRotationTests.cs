using System.Collections.Concurrent;
using DotMac.Identity.Tests.Support;
using NUnit.Framework;

namespace DotMac.Gateway.Tests;

/// <summary>Key rotation while clients call: the next key is published before it signs, so no request fails.</summary>
[TestFixture]
public sealed class When_identity_rotates_its_signing_key_under_traffic
{
    [Test]
    public async Task Should_fail_no_request()
    {
        await using var fleet = await Fleet.StartAsync("gw_rotation", new Dictionary<string, string?>
        {
            // Four clients as one super admin, as fast as they can: rate limits are not what this test is about.
            ["Gateway:RateLimits:LoginPerMinute"] = "100000",
            ["Gateway:RateLimits:Default:PerSecond"] = "100000",
            ["Gateway:RateLimits:Default:Burst"] = "100000",
        });
        var login = new { email = IdentityHost.AdminEmail, password = fleet.Identity.AdminPassword };
        var failures = new ConcurrentBag<string>();
        var kids = new ConcurrentDictionary<string, int>();
        var requests = 0;
        using var stop = new CancellationTokenSource();

        // Each client logs in again every few requests (new tokens pick up the new key once it signs) and calls
        // identity and platform through the gateway all the time.
        async Task ClientAsync()
        {
            string? token = null;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (i % 5 == 0)
                {
                    var reply = await fleet.Client.PostJsonAsync("/api/v1/identity/auth/login", login);
                    if (reply.Code != 200) { failures.Add($"login {reply.Code}"); continue; }
                    token = reply.Get("access_token");
                    kids.AddOrUpdate(TokenForge.Read(token).Kid, 1, (_, n) => n + 1);
                }
                foreach (var path in new[] { "/api/v1/platform/tenants", "/api/v1/identity/users/me" })
                {
                    var call = await fleet.Client.GetJsonAsync(path, token);
                    Interlocked.Increment(ref requests);
                    if (call.Code != 200)
                        failures.Add($"{path} {call.Code} with kid {TokenForge.Read(token!).Kid}: {call.Body}");
                }
            }
        }

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(ClientAsync)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var super = (await fleet.Client.PostJsonAsync("/api/v1/identity/auth/login", login)).Get("access_token");
        var rotated = await fleet.Client.PostJsonAsync("/api/v1/identity/keys/rotate", null, super);
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the 2 s publication lead: the new key signs
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.That(rotated.Code, Is.EqualTo(200), rotated.Body.ToString());
        Assert.That(kids.Keys, Does.Contain(rotated.Get("kid")), "tokens signed with the new key were used");
        Assert.That(kids, Has.Count.EqualTo(2));
        Assert.That(requests, Is.GreaterThan(100));
        Assert.That(failures.Where(f => !f.Contains(" 429 ", StringComparison.Ordinal)), Is.Empty, "no request failed authentication");
        Assert.That(failures, Is.Empty);
    }
}
