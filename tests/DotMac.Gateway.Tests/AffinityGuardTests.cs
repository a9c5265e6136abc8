using DotMac.Gateway.Routing;
using DotMac.Identity.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Yarp.ReverseProxy.Configuration;

namespace DotMac.Gateway.Tests;

/// <summary>
/// YARP 2.1's HashCookie affinity needs System.IO.Hashing, absent here: a route using it answers 502. The guard
/// rewrites it, and a gateway configured with it still routes.
/// </summary>
[TestFixture]
public sealed class When_a_cluster_asks_for_hash_cookie_affinity
{
    [TestCase("HashCookie")]
    [TestCase(null)]
    public async Task Should_rewrite_it_to_cookie_affinity(string? policy)
    {
        var cluster = new ClusterConfig { ClusterId = "x", SessionAffinity = new SessionAffinityConfig { Enabled = true, Policy = policy, AffinityKeyName = "k" } };

        var guarded = await new AffinityGuard(NullLogger<AffinityGuard>.Instance).ConfigureClusterAsync(cluster, CancellationToken.None);

        Assert.That(guarded.SessionAffinity!.Policy, Is.EqualTo("Cookie"));
    }

    [Test]
    public async Task Should_leave_other_policies_alone()
    {
        var cluster = new ClusterConfig { ClusterId = "x", SessionAffinity = new SessionAffinityConfig { Enabled = true, Policy = "ArrCookie", AffinityKeyName = "k" } };

        var guarded = await new AffinityGuard(NullLogger<AffinityGuard>.Instance).ConfigureClusterAsync(cluster, CancellationToken.None);

        Assert.That(guarded.SessionAffinity!.Policy, Is.EqualTo("ArrCookie"));
    }

    [Test]
    public async Task Should_still_route_through_a_gateway_configured_with_it()
    {
        await using var fleet = await Fleet.StartAsync("gw_affinity", new Dictionary<string, string?> { ["Gateway:SessionAffinity:identity"] = "HashCookie" });
        using var response = await fleet.Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));

        Assert.That((int)response.StatusCode, Is.EqualTo(200), "HashCookie unguarded answers 502");
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".DotMac.Affinity.identity=", StringComparison.Ordinal)), Is.True);
    }
}
