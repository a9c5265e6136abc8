using System.Security.Cryptography;
using System.Text;
using DotMac.Identity.Extensions;
using Microsoft.Extensions.Options;

namespace DotMac.Identity.Keys;

/// <summary>
/// AES-256-GCM for private signing keys at rest, the kid bound in as associated data (a ciphertext moved to
/// another row does not decrypt). The key comes from configuration or a generated, owner-only file outside the repo.
/// </summary>
public sealed class KeyEncryption
{
    const int NonceSize = 12;
    const int TagSize = 16;
    readonly byte[] _key;

    public KeyEncryption(IOptions<IdentityOptions> options, ILogger<KeyEncryption> logger)
    {
        var configured = options.Value.KeyEncryptionKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _key = Convert.FromBase64String(configured);
        }
        else
        {
            var path = options.Value.KeyEncryptionKeyFile ?? LocalState.PathFor(Path.Combine("identity", "signing-key-encryption.key"));
            _key = ReadOrCreate(path, logger);
        }
        if (_key.Length != 32)
            throw new InvalidOperationException("The signing-key encryption key must be 32 bytes (base64).");
    }

    public byte[] Encrypt(string kid, byte[] plaintext)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(kid));
        return output;
    }

    public byte[] Decrypt(string kid, byte[] sealedKey)
    {
        var plaintext = new byte[sealedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedKey.AsSpan(0, NonceSize), sealedKey.AsSpan(NonceSize + TagSize), sealedKey.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(kid));
        return plaintext;
    }

    static byte[] ReadOrCreate(string path, ILogger logger)
    {
        if (!File.Exists(path))
        {
            try
            {
                LocalState.WriteSecret(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                logger.LogInformation("Generated the signing-key encryption key at {Path}", path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance wrote it first; use theirs.
            }
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
