using System.Net;
using System.Net.Sockets;

namespace DotMac.Networking.Subscribers;

/// <summary>
/// The RADIUS rows of one subscriber, derived from its profile and its tenant's policy. Pure; FreeRADIUS reads them as:
/// radcheck Cleartext-Password (and Auth-Type := Reject while suspended under a reject policy); radreply the address
/// (Framed-IP-Address, or Framed-IPv6-Address / Delegated-IPv6-Prefix) and the plan's rate as Mikrotik-Rate-Limit
/// ("rx/tx" from the router's side: upload/download, with burst rates, thresholds at 3/4 and burst time) plus
/// WISPr-Bandwidth-Max-Down/Up in bit/s; under a walled-garden policy a suspended subscriber joins the tenant's walled
/// garden group, whose := replies override its own.
/// </summary>
public static class RadiusProfile
{
    public sealed record Rows(IReadOnlyList<RadiusAttribute> Checks, IReadOnlyList<RadiusAttribute> Replies, IReadOnlyList<string> Groups);

    public static string WalledGardenGroup(Guid tenantId) => $"walled-garden-{tenantId:N}";

    public static Rows Build(Guid tenantId, string password, string address, int downloadKbps, int uploadKbps, int? burstDownloadKbps, int? burstUploadKbps,
        int? burstSeconds, bool suspended, SubscriberPolicy policy)
    {
        var checks = new List<RadiusAttribute> { new("Cleartext-Password", ":=", password) };
        var groups = new List<string>();
        if (suspended && policy.SuspendedAction == "reject")
            checks.Add(new RadiusAttribute("Auth-Type", ":=", "Reject"));
        else if (suspended)
            groups.Add(WalledGardenGroup(tenantId));

        var replies = new List<RadiusAttribute>();
        var slash = address.IndexOf('/');
        var ip = IPAddress.Parse(slash < 0 ? address : address[..slash]);
        if (ip.AddressFamily == AddressFamily.InterNetwork)
            replies.Add(new RadiusAttribute("Framed-IP-Address", ":=", ip.ToString()));
        else if (slash < 0 || address.EndsWith("/128", StringComparison.Ordinal))
            replies.Add(new RadiusAttribute("Framed-IPv6-Address", ":=", ip.ToString()));
        else
            replies.Add(new RadiusAttribute("Delegated-IPv6-Prefix", ":=", address));
        replies.Add(new RadiusAttribute("Mikrotik-Rate-Limit", ":=", RateLimit(downloadKbps, uploadKbps, burstDownloadKbps, burstUploadKbps, burstSeconds)));
        replies.Add(new RadiusAttribute("WISPr-Bandwidth-Max-Down", ":=", (downloadKbps * 1000L).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        replies.Add(new RadiusAttribute("WISPr-Bandwidth-Max-Up", ":=", (uploadKbps * 1000L).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new Rows(checks, replies, groups);
    }

    /// <summary>MikroTik's "rx/tx [rx-burst/tx-burst rx-threshold/tx-threshold rx-time/tx-time]", rx being the subscriber's upload.</summary>
    public static string RateLimit(int downloadKbps, int uploadKbps, int? burstDownloadKbps, int? burstUploadKbps, int? burstSeconds)
    {
        var rate = $"{Kbps(uploadKbps)}/{Kbps(downloadKbps)}";
        if (burstDownloadKbps is not { } bd || burstUploadKbps is not { } bu || burstSeconds is not { } seconds)
            return rate;
        return $"{rate} {Kbps(bu)}/{Kbps(bd)} {Kbps(uploadKbps * 3 / 4)}/{Kbps(downloadKbps * 3 / 4)} {seconds}/{seconds}";
    }

    static string Kbps(int kbps) => kbps % 1000 == 0 ? $"{kbps / 1000}M" : $"{kbps}k";
}
