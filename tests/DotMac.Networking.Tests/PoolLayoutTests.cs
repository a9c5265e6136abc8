using System.Net;
using DotMac.Networking.Ipam;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>The arithmetic of pools: sizes, reserved ends, block addresses and back, with real numbers.</summary>
public class PoolLayoutTests
{
    [Test]
    public void An_ipv4_slash_24_hands_out_254_addresses_without_network_and_broadcast()
    {
        var layout = PoolLayout.Create("100.64.0.0/24", 32);

        Assert.That((layout.Usable, layout.FirstUsable, layout.LastUsable), Is.EqualTo(((UInt128)254, 1UL, 254UL)));
        Assert.That(layout.CidrOf(1), Is.EqualTo("100.64.0.1"));
        Assert.That(layout.CidrOf(254), Is.EqualTo("100.64.0.254"));
        Assert.That(layout.IndexOf(IPAddress.Parse("100.64.0.255"), out _), Is.Null);
        Assert.That(layout.IndexOf(IPAddress.Parse("100.64.0.0"), out _), Is.Null);
        Assert.That(layout.IndexOf(IPAddress.Parse("100.64.0.77"), out _), Is.EqualTo(77UL));
        Assert.That(layout.IndexOf(IPAddress.Parse("100.64.1.1"), out var error), Is.Null);
        Assert.That(error, Does.Contain("Not inside"));
    }

    [Test]
    public void Point_to_point_networks_use_every_address()
    {
        Assert.That(PoolLayout.Create("192.0.2.0/31", 32).Usable, Is.EqualTo((UInt128)2));
        Assert.That(PoolLayout.Create("192.0.2.9/32", 32).Usable, Is.EqualTo((UInt128)1));
        Assert.That(PoolLayout.Create("2001:db8::/127", 128).Usable, Is.EqualTo((UInt128)2));
    }

    [Test]
    public void An_ipv6_slash_48_delegates_256_slash_56_prefixes()
    {
        var layout = PoolLayout.Create("2001:db8:100::/48", 56);

        Assert.That(layout.Usable, Is.EqualTo((UInt128)256));
        Assert.That(layout.CidrOf(0), Is.EqualTo("2001:db8:100::/56"));
        Assert.That(layout.CidrOf(1), Is.EqualTo("2001:db8:100:100::/56"));
        Assert.That(layout.CidrOf(255), Is.EqualTo("2001:db8:100:ff00::/56"));
        Assert.That(layout.IndexOf(IPAddress.Parse("2001:db8:100:ff00::"), out _), Is.EqualTo(255UL));
        Assert.That(layout.IndexOf(IPAddress.Parse("2001:db8:100:ff01::"), out var error), Is.Null);
        Assert.That(error, Does.Contain("/56"));
    }

    [Test]
    public void An_ipv6_slash_64_of_addresses_skips_the_subnet_router_anycast_address()
    {
        var layout = PoolLayout.Create("2001:db8:0:1::/64", 128);

        Assert.That(layout.Usable, Is.EqualTo((UInt128.One << 64) - 1));
        Assert.That(layout.CidrOf(layout.FirstUsable), Is.EqualTo("2001:db8:0:1::1"));
        Assert.That(layout.CidrOf(ulong.MaxValue), Is.EqualTo("2001:db8:0:1:ffff:ffff:ffff:ffff"));
    }

    [TestCase("10.0.0.1/24", null, "no host bits")]
    [TestCase("10.0.0.0/24", 16, "between")]
    [TestCase("10.0.0.0/24", 33, "between")]
    [TestCase("2001:db8::/32", 128, "2^64")]
    [TestCase("not a network", null, "CIDR")]
    public void A_bad_network_or_block_size_says_why(string network, int? assign, string reason)
    {
        Assert.That(PoolLayout.TryCreate(network, assign, out var error), Is.Null);
        Assert.That(error, Does.Contain(reason));
    }
}
