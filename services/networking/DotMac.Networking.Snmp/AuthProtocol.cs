namespace DotMac.Networking.Snmp;

/// <summary>USM authentication: HMAC-MD5-96 / HMAC-SHA-96 (RFC 3414) and HMAC-SHA-2 (RFC 7860; SHA-224 is left out: .NET has no SHA-224).</summary>
public enum AuthProtocol
{
    None,
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}
