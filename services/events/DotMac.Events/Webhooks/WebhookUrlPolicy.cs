using System.Net;
using System.Net.Sockets;

namespace DotMac.Events.Webhooks;

/// <summary>
/// Where a webhook may go. Outside Development: https only, and never to an address of the platform's own networks
/// (loopback, private, carrier-grade NAT, link-local and with it the cloud metadata service, unique-local, multicast,
/// unspecified), checked on the name's every address at registration and again on the address actually connected
/// to (a name that changes its answer after registration, DNS rebinding, is caught there). In Development loopback is
/// allowed, over http too, so a partner server on the same machine can be tried.
/// </summary>
public sealed class WebhookUrlPolicy(bool development)
{
    public bool Development => development;

    /// <summary>Why the URL is refused, or null if it may be registered.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "Must be an absolute https URL.";
        if (url.Length > 2048)
            return "At most 2048 characters.";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "Must not carry credentials; the signature authenticates us to you.";
        if (!string.IsNullOrEmpty(uri.Fragment))
            return "Must not have a fragment.";
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} does not resolve.";
        }
        if (addresses.Length == 0)
            return $"The host {uri.Host} does not resolve.";
        var loopbackOnly = addresses.All(IPAddress.IsLoopback);
        if (uri.Scheme == "http" && !(development && loopbackOnly))
            return "Must be https (http only to loopback, in Development).";
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
                return $"{uri.Host} resolves to {address}, {reason}.";
        }
        return null;
    }

    /// <summary>Why a connection to <paramref name="address"/> is refused, or null if it may be made.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address))
            return development ? null : "a loopback address";
        return Forbidden(address);
    }

    static string? Forbidden(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return bytes switch
            {
                [0, ..] => "an unspecified address",
                [10, ..] => "a private address",
                [172, >= 16 and <= 31, ..] => "a private address",
                [192, 168, ..] => "a private address",
                [100, >= 64 and <= 127, ..] => "a carrier-grade NAT address",
                [169, 254, ..] => "a link-local (metadata service) address",
                [192, 0, 0, _] => "an IETF protocol address",
                [198, 18 or 19, ..] => "a benchmarking address",
                [>= 224, ..] => "a multicast or reserved address",
                _ => null,
            };
        }
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
            return "an unspecified address";
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
            return "a link-local address";
        if (address.IsIPv6Multicast)
            return "a multicast address";
        if ((bytes[0] & 0xfe) == 0xfc)
            return "a unique-local (private) address";
        // fd00:ec2::254 and the like are covered by fc00::/7. Addresses that carry an IPv4 one are judged by it: NAT64
        // (64:ff9b::/96), 6to4 (2002::/16) and the deprecated IPv4-compatible ::a.b.c.d; local-use NAT64 (64:ff9b:1::/48)
        // is refused whole.
        if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b)
            return bytes[4] == 0 && bytes[5] == 1 ? "a local-use NAT64 address" : Forbidden(new IPAddress(bytes[12..]));
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
            return Forbidden(new IPAddress(bytes[2..6]));
        if (bytes[..12].All(b => b == 0))
            return Forbidden(new IPAddress(bytes[12..]));
        return null;
    }
}
