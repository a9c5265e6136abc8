using System.Security.Cryptography;
using System.Text.Json;

namespace DotMac.Networking.Security;

/// <summary>
/// Encrypts SNMP credentials at rest with AES-256-GCM. Each ciphertext is bound to its tenant and device (associated
/// data), so a row copied onto another device does not decrypt. Layout: version (1) | nonce (12) | tag (16) | ciphertext.
/// </summary>
internal sealed class CredentialProtector(byte[] key)
{
    const byte Version = 1;
    const int NonceSize = 12;
    const int TagSize = 16;

    public byte[] Protect(SnmpCredentials credentials, Guid tenantId, Guid deviceId)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(credentials);
        var output = new byte[1 + NonceSize + TagSize + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(tenantId, deviceId));
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    public SnmpCredentials Unprotect(byte[] stored, Guid tenantId, Guid deviceId)
    {
        if (stored.Length < 1 + NonceSize + TagSize || stored[0] != Version)
            throw new CryptographicException("Unknown credential format");
        var plaintext = new byte[stored.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize + TagSize), stored.AsSpan(1 + NonceSize, TagSize), plaintext, AssociatedData(tenantId, deviceId));
        try
        {
            return JsonSerializer.Deserialize<SnmpCredentials>(plaintext) ?? throw new CryptographicException("Empty credentials");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    static byte[] AssociatedData(Guid tenantId, Guid deviceId) => [.. tenantId.ToByteArray(), .. deviceId.ToByteArray()];
}
