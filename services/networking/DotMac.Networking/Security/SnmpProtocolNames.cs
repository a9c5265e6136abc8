using DotMac.Networking.Snmp;

namespace DotMac.Networking.Security;

/// <summary>Protocol names as the API and configuration take them ("sha256", "aes256" ...); null when unknown.</summary>
internal static class SnmpProtocolNames
{
    public static AuthProtocol? Auth(string? name) => name?.ToLowerInvariant() switch
    {
        null or "none" => AuthProtocol.None,
        "md5" => AuthProtocol.Md5,
        "sha" or "sha1" => AuthProtocol.Sha1,
        "sha256" => AuthProtocol.Sha256,
        "sha384" => AuthProtocol.Sha384,
        "sha512" => AuthProtocol.Sha512,
        _ => null,
    };

    public static PrivProtocol? Priv(string? name) => name?.ToLowerInvariant() switch
    {
        null or "none" => PrivProtocol.None,
        "des" => PrivProtocol.Des,
        "aes" or "aes128" => PrivProtocol.Aes128,
        "aes192" => PrivProtocol.Aes192,
        "aes256" => PrivProtocol.Aes256,
        _ => null,
    };
}
