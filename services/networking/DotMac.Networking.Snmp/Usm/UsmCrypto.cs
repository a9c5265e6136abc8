using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DotMac.Networking.Snmp.Usm;

/// <summary>
/// USM key derivation, authentication and privacy: RFC 3414 (password to key, localisation, HMAC-MD5/SHA-96, CBC-DES),
/// RFC 7860 (HMAC-SHA-2), RFC 3826 (CFB128-AES-128) and, for AES-192/256 when the localised key is too short, the
/// extension net-snmp applies (draft-blumenthal-aes-usm-04 section 3.1.2.1: append H(key) until it is long enough).
/// </summary>
internal static class UsmCrypto
{
    const int OneMegabyte = 1_048_576;

    public static int MacLength(AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.Md5 or AuthProtocol.Sha1 => 12,
        AuthProtocol.Sha256 => 24,
        AuthProtocol.Sha384 => 32,
        AuthProtocol.Sha512 => 48,
        _ => 0,
    };

    static HashAlgorithmName HashName(AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.Md5 => HashAlgorithmName.MD5,
        AuthProtocol.Sha1 => HashAlgorithmName.SHA1,
        AuthProtocol.Sha256 => HashAlgorithmName.SHA256,
        AuthProtocol.Sha384 => HashAlgorithmName.SHA384,
        AuthProtocol.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No hash for this protocol"),
    };

    /// <summary>Ku: the hash of the password repeated to one megabyte (RFC 3414 A.2).</summary>
    public static byte[] PasswordToKey(AuthProtocol protocol, string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        if (bytes.Length == 0)
            throw new ArgumentException("An empty password", nameof(password));
        using var hash = IncrementalHash.CreateHash(HashName(protocol));
        Span<byte> block = stackalloc byte[64];
        var index = 0;
        for (var count = 0; count < OneMegabyte; count += block.Length)
        {
            for (var i = 0; i < block.Length; i++)
                block[i] = bytes[index++ % bytes.Length];
            hash.AppendData(block);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Kul = H(Ku || engineID || Ku).</summary>
    public static byte[] Localize(AuthProtocol protocol, ReadOnlySpan<byte> ku, ReadOnlySpan<byte> engineId)
    {
        using var hash = IncrementalHash.CreateHash(HashName(protocol));
        hash.AppendData(ku);
        hash.AppendData(engineId);
        hash.AppendData(ku);
        return hash.GetHashAndReset();
    }

    public static int PrivKeyLength(PrivProtocol protocol) => protocol switch
    {
        PrivProtocol.Des or PrivProtocol.Aes128 => 16, // DES: 8 key octets + 8 pre-IV octets
        PrivProtocol.Aes192 => 24,
        PrivProtocol.Aes256 => 32,
        _ => 0,
    };

    /// <summary>The localised privacy key, extended as net-snmp does when the auth hash is shorter than the cipher key.</summary>
    public static byte[] ExtendPrivKey(AuthProtocol auth, PrivProtocol priv, byte[] localized)
    {
        var needed = PrivKeyLength(priv);
        var key = localized;
        while (key.Length < needed)
            key = [.. key, .. CryptographicOperations.HashData(HashName(auth), key)];
        return key[..needed];
    }

    public static void Mac(AuthProtocol protocol, byte[] key, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[64];
        var written = CryptographicOperations.HmacData(HashName(protocol), key, message, full);
        full[..MacLength(protocol)].CopyTo(destination);
        _ = written;
    }

    /// <summary>Encrypts a scopedPDU. <paramref name="salt"/> is a per-message counter; the privParameters are returned.</summary>
    public static byte[] Encrypt(PrivProtocol protocol, byte[] key, int boots, int time, ulong salt, ReadOnlySpan<byte> plaintext, out byte[] privParameters)
    {
        if (protocol == PrivProtocol.Des)
        {
            privParameters = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(privParameters, boots);
            BinaryPrimitives.WriteUInt32BigEndian(privParameters.AsSpan(4), (uint)salt);
            var padded = new byte[(plaintext.Length + 7) / 8 * 8];
            plaintext.CopyTo(padded);
            using var des = DES.Create();
            des.Key = key[..8];
            return des.EncryptCbc(padded, DesIv(key, privParameters), PaddingMode.None);
        }
        privParameters = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(privParameters, salt);
        return AesCfb(key, AesIv(boots, time, privParameters), plaintext, encrypt: true);
    }

    public static byte[] Decrypt(PrivProtocol protocol, byte[] key, int boots, int time, ReadOnlySpan<byte> privParameters, ReadOnlySpan<byte> ciphertext)
    {
        if (privParameters.Length != 8)
            throw new SnmpDecodeException($"msgPrivacyParameters of {privParameters.Length} octets");
        if (protocol == PrivProtocol.Des)
        {
            if (ciphertext.Length % 8 != 0)
                throw new SnmpDecodeException("A DES-encrypted PDU whose length is not a multiple of 8");
            using var des = DES.Create();
            des.Key = key[..8];
            return des.DecryptCbc(ciphertext, DesIv(key, privParameters), PaddingMode.None);
        }
        return AesCfb(key, AesIv(boots, time, privParameters), ciphertext, encrypt: false);
    }

    static byte[] DesIv(byte[] key, ReadOnlySpan<byte> salt)
    {
        var iv = new byte[8];
        for (var i = 0; i < 8; i++)
            iv[i] = (byte)(key[8 + i] ^ salt[i]);
        return iv;
    }

    static byte[] AesIv(int boots, int time, ReadOnlySpan<byte> salt)
    {
        var iv = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(iv, boots);
        BinaryPrimitives.WriteInt32BigEndian(iv.AsSpan(4), time);
        salt.CopyTo(iv.AsSpan(8));
        return iv;
    }

    // CFB needs no padding; .NET's CFB128 wants whole blocks, and a CFB prefix does not depend on what follows it, so
    // pad, transform and cut back.
    static byte[] AesCfb(byte[] key, byte[] iv, ReadOnlySpan<byte> input, bool encrypt)
    {
        var padded = new byte[(input.Length + 15) / 16 * 16];
        input.CopyTo(padded);
        using var aes = Aes.Create();
        aes.Key = key;
        var output = encrypt
            ? aes.EncryptCfb(padded, iv, PaddingMode.None, 128)
            : aes.DecryptCfb(padded, iv, PaddingMode.None, 128);
        return output[..input.Length];
    }
}
