namespace DotMac.Networking.Snmp.Tests.Agent;

/// <summary>The SNMPv3 users of <see cref="NetSnmpAgent"/> as our engine names them.</summary>
public static class Users
{
    public static UsmUser Get(string name, string? authPassword = null, string? privPassword = null)
    {
        var (_, auth, priv) = NetSnmpAgent.Users.Single(u => u.Name == name);
        var ourPriv = priv switch
        {
            "AES" => PrivProtocol.Aes128,
            "AES-192" => PrivProtocol.Aes192,
            "AES-256" => PrivProtocol.Aes256,
            "DES" => PrivProtocol.Des,
            _ => PrivProtocol.None,
        };
        var ourAuth = auth switch
        {
            "MD5" => AuthProtocol.Md5,
            "SHA" => AuthProtocol.Sha1,
            "SHA-256" => AuthProtocol.Sha256,
            "SHA-384" => AuthProtocol.Sha384,
            "SHA-512" => AuthProtocol.Sha512,
            _ => AuthProtocol.None,
        };
        return new UsmUser(name, ourAuth, authPassword ?? NetSnmpAgent.AuthPassword, ourPriv,
            ourPriv == PrivProtocol.None ? null : privPassword ?? NetSnmpAgent.PrivPassword);
    }
}
