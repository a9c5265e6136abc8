namespace DotMac.Networking.Snmp;

/// <summary>USM privacy: CBC-DES (RFC 3414), CFB128-AES-128 (RFC 3826) and AES-192/256 with the key extension net-snmp
/// uses (draft-blumenthal-aes-usm-04).</summary>
public enum PrivProtocol
{
    None,
    Des,
    Aes128,
    Aes192,
    Aes256,
}
