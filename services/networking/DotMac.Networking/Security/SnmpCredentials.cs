using DotMac.Networking.Snmp;

namespace DotMac.Networking.Security;

/// <summary>What is encrypted at rest: the community (v1/v2c) or the v3 user with its passwords.</summary>
internal sealed record SnmpCredentials(
    string? Community,
    string? User,
    AuthProtocol Auth,
    string? AuthPassword,
    PrivProtocol Priv,
    string? PrivPassword)
{
    public SnmpTarget ToTarget(System.Net.IPEndPoint endPoint, string version) => version switch
    {
        "v3" => new UsmTarget(endPoint, new UsmUser(User!, Auth, AuthPassword, Priv, PrivPassword)),
        "v1" => new CommunityTarget(endPoint, Community!, SnmpVersion.V1),
        _ => new CommunityTarget(endPoint, Community!),
    };
}
