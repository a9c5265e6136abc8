using DotMac.Networking.Snmp.Ber;

namespace DotMac.Networking.Snmp.Usm;

/// <summary>
/// An SNMPv3 message with USM security parameters (RFC 3412 section 6, RFC 3414 section 2.4). The msgData is either
/// a plaintext scopedPDU or the encrypted one; <see cref="AuthParametersOffset"/> locates the digest in the encoded
/// bytes so it can be computed over (and checked against) the whole message.
/// </summary>
internal sealed class UsmMessage
{
    public const byte AuthFlag = 0x01;
    public const byte PrivFlag = 0x02;
    public const byte ReportableFlag = 0x04;
    public const int UsmSecurityModel = 3;

    public int MessageId { get; init; }

    public int MaxSize { get; init; } = 65507;

    public byte Flags { get; init; }

    public byte[] EngineId { get; init; } = [];

    public int EngineBoots { get; init; }

    public int EngineTime { get; init; }

    public byte[] UserName { get; init; } = [];

    public byte[] AuthParameters { get; init; } = [];

    public byte[] PrivParameters { get; init; } = [];

    public int AuthParametersOffset { get; private init; } = -1;

    /// <summary>The scopedPDU's encoding, or the ciphertext when <see cref="PrivFlag"/> is set.</summary>
    public byte[] Data { get; init; } = [];

    public bool Authenticated => (Flags & AuthFlag) != 0;

    public bool Encrypted => (Flags & PrivFlag) != 0;

    public byte[] Encode()
    {
        var writer = new BerWriter(Data.Length + 128);
        writer.BeginSequence(out var message);
        writer.WriteInteger(3);
        writer.BeginSequence(out var global);
        writer.WriteInteger(MessageId);
        writer.WriteInteger(MaxSize);
        writer.WriteOctetString([Flags]);
        writer.WriteInteger(UsmSecurityModel);
        writer.End(global);
        var securityOctets = writer.BeginConstructed(0x04); // the OCTET STRING wraps an encoded sequence
        writer.BeginSequence(out var security);
        writer.WriteOctetString(EngineId);
        writer.WriteInteger(EngineBoots);
        writer.WriteInteger(EngineTime);
        writer.WriteOctetString(UserName);
        writer.WriteOctetString(AuthParameters);
        writer.WriteOctetString(PrivParameters);
        writer.End(security);
        writer.End(securityOctets);
        if (Encrypted)
            writer.WriteOctetString(Data);
        else
            writer.WriteRaw(Data);
        writer.End(message);
        return writer.ToArray();
    }

    /// <summary>Decodes a v3 message up to its (possibly encrypted) scopedPDU.</summary>
    public static UsmMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var outer = new BerReader(bytes);
        var message = outer.ReadSequence("SNMPv3Message");
        var version = message.ReadInteger("msgVersion");
        if (version != 3)
            throw new SnmpDecodeException($"Not an SNMPv3 message: version {version}");
        var global = message.ReadSequence("msgGlobalData");
        var messageId = global.ReadInt32("msgID");
        var maxSize = global.ReadInt32("msgMaxSize");
        var flags = global.ReadOctetString("msgFlags");
        if (flags.Length != 1)
            throw new SnmpDecodeException($"msgFlags of {flags.Length} octets");
        var model = global.ReadInteger("msgSecurityModel");
        if (model != UsmSecurityModel)
            throw new SnmpDecodeException($"Security model {model} is not USM");
        var securityOctets = message.ReadConstructed(0x04, "msgSecurityParameters");
        var security = securityOctets.ReadSequence("UsmSecurityParameters");
        var engineId = security.ReadOctetString("msgAuthoritativeEngineID").ToArray();
        var boots = security.ReadInt32("msgAuthoritativeEngineBoots");
        var time = security.ReadInt32("msgAuthoritativeEngineTime");
        var user = security.ReadOctetString("msgUserName").ToArray();
        var auth = security.ReadExpected(0x04, "msgAuthenticationParameters");
        var authOffset = security.AbsolutePosition - auth.Length;
        var priv = security.ReadOctetString("msgPrivacyParameters").ToArray();
        byte[] data;
        if ((flags[0] & PrivFlag) != 0)
            data = message.ReadOctetString("encryptedPDU").ToArray();
        else
        {
            var start = message.AbsolutePosition;
            message.ReadSequence("ScopedPDU");
            data = bytes[start..message.AbsolutePosition].ToArray();
        }
        message.EnsureEnd("the message");
        return new UsmMessage
        {
            MessageId = messageId,
            MaxSize = maxSize,
            Flags = flags[0],
            EngineId = engineId,
            EngineBoots = boots,
            EngineTime = time,
            UserName = user,
            AuthParameters = auth.ToArray(),
            PrivParameters = priv,
            AuthParametersOffset = authOffset,
            Data = data,
        };
    }

    /// <summary>The encoded message with the digest computed and placed (the parameters must hold zeros of the right length).</summary>
    public byte[] EncodeSigned(AuthProtocol protocol, byte[] authKey)
    {
        var bytes = Encode();
        var offset = Decode(bytes).AuthParametersOffset;
        UsmCrypto.Mac(protocol, authKey, bytes, bytes.AsSpan(offset, UsmCrypto.MacLength(protocol)));
        return bytes;
    }

    /// <summary>Checks the digest over the received bytes with the digest field zeroed, in constant time.</summary>
    public static bool VerifyDigest(AuthProtocol protocol, byte[] authKey, ReadOnlySpan<byte> received, UsmMessage decoded)
    {
        var length = UsmCrypto.MacLength(protocol);
        if (decoded.AuthParameters.Length != length)
            return false;
        var copy = received.ToArray();
        copy.AsSpan(decoded.AuthParametersOffset, length).Clear();
        Span<byte> expected = stackalloc byte[length];
        UsmCrypto.Mac(protocol, authKey, copy, expected);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, decoded.AuthParameters);
    }

    public static byte[] EncodeScopedPdu(ReadOnlySpan<byte> contextEngineId, ReadOnlySpan<byte> contextName, SnmpPdu pdu)
    {
        var writer = new BerWriter();
        writer.BeginSequence(out var scoped);
        writer.WriteOctetString(contextEngineId);
        writer.WriteOctetString(contextName);
        PduCodec.Write(writer, pdu);
        writer.End(scoped);
        return writer.ToArray();
    }

    /// <summary>Decodes a scopedPDU; octets after it (cipher padding) are ignored.</summary>
    public static ScopedPdu DecodeScopedPdu(ReadOnlySpan<byte> bytes)
    {
        var outer = new BerReader(bytes);
        var scoped = outer.ReadSequence("ScopedPDU");
        var contextEngineId = scoped.ReadOctetString("contextEngineID").ToArray();
        var contextName = scoped.ReadOctetString("contextName").ToArray();
        var pdu = PduCodec.Read(ref scoped);
        scoped.EnsureEnd("the ScopedPDU");
        return new ScopedPdu(contextEngineId, contextName, pdu);
    }
}
