namespace DotMac.Networking.Snmp.Ber;

/// <summary>
/// Reads BER (the subset SNMP uses: single-byte tags, definite lengths). Every violation, including running off the
/// end, is a <see cref="SnmpDecodeException"/>; nothing else escapes, whatever the input.
/// </summary>
internal ref struct BerReader
{
    readonly ReadOnlySpan<byte> _data;
    readonly int _base;
    int _position;

    public BerReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _base = baseOffset;
        _position = 0;
    }

    /// <summary>Offset of the next byte within the outermost buffer.</summary>
    public readonly int AbsolutePosition => _base + _position;

    public readonly bool HasMore => _position < _data.Length;

    public readonly byte PeekTag() => HasMore ? _data[_position] : throw new SnmpDecodeException("Expected another element, found the end of the data");

    /// <summary>Reads one element: its tag, its content and where the content starts in the outermost buffer.</summary>
    public ReadOnlySpan<byte> ReadElement(out byte tag, out int contentOffset)
    {
        if (_position >= _data.Length)
            throw new SnmpDecodeException("Expected another element, found the end of the data");
        tag = _data[_position++];
        if ((tag & 0x1f) == 0x1f)
            throw new SnmpDecodeException($"Multi-byte tags are not used by SNMP (0x{tag:x2} at {AbsolutePosition - 1})");
        var length = ReadLength();
        contentOffset = AbsolutePosition;
        var content = _data.Slice(_position, length);
        _position += length;
        return content;
    }

    public ReadOnlySpan<byte> ReadExpected(byte expectedTag, string what)
    {
        var content = ReadElement(out var tag, out _);
        if (tag != expectedTag)
            throw new SnmpDecodeException($"Expected {what} (tag 0x{expectedTag:x2}), found tag 0x{tag:x2}");
        return content;
    }

    public BerReader ReadConstructed(byte expectedTag, string what)
    {
        var content = ReadElement(out var tag, out var offset);
        if (tag != expectedTag)
            throw new SnmpDecodeException($"Expected {what} (tag 0x{expectedTag:x2}), found tag 0x{tag:x2}");
        return new BerReader(content, offset);
    }

    public BerReader ReadSequence(string what) => ReadConstructed(0x30, what);

    public long ReadInteger(string what) => DecodeSigned(ReadExpected(0x02, what), what);

    public int ReadInt32(string what)
    {
        var value = ReadInteger(what);
        return value is < int.MinValue or > int.MaxValue ? throw new SnmpDecodeException($"{what} {value} is out of range") : (int)value;
    }

    public ReadOnlySpan<byte> ReadOctetString(string what) => ReadExpected(0x04, what);

    public readonly void EnsureEnd(string what)
    {
        if (HasMore)
            throw new SnmpDecodeException($"Unexpected bytes after {what}");
    }

    int ReadLength()
    {
        if (_position >= _data.Length)
            throw new SnmpDecodeException("Truncated length");
        int first = _data[_position++];
        int length;
        if (first < 0x80)
            length = first;
        else if (first == 0x80)
            throw new SnmpDecodeException("Indefinite lengths are not allowed in SNMP");
        else
        {
            var count = first & 0x7f;
            if (count > 4)
                throw new SnmpDecodeException($"A {count}-octet length is too long");
            if (_position + count > _data.Length)
                throw new SnmpDecodeException("Truncated length");
            long value = 0;
            for (var i = 0; i < count; i++)
                value = (value << 8) | _data[_position++];
            if (value > int.MaxValue)
                throw new SnmpDecodeException("Length out of range");
            length = (int)value;
        }
        if (length > _data.Length - _position)
            throw new SnmpDecodeException($"Length {length} runs past the end of the data ({_data.Length - _position} left)");
        return length;
    }

    public static long DecodeSigned(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length is 0 or > 8)
            throw new SnmpDecodeException($"{what}: an INTEGER of {content.Length} octets");
        long value = (sbyte)content[0];
        for (var i = 1; i < content.Length; i++)
            value = (value << 8) | content[i];
        return value;
    }

    /// <summary>Unsigned types: up to 8 significant octets after any leading zero octets.</summary>
    public static ulong DecodeUnsigned(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length == 0)
            throw new SnmpDecodeException($"{what}: an empty number");
        var start = 0;
        while (start < content.Length - 1 && content[start] == 0)
            start++;
        if (content.Length - start > 8)
            throw new SnmpDecodeException($"{what}: a number of {content.Length} octets");
        ulong value = 0;
        for (var i = start; i < content.Length; i++)
            value = (value << 8) | content[i];
        return value;
    }

    public Oid ReadOid(string what) => DecodeOid(ReadExpected(0x06, what), what);

    public static Oid DecodeOid(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length == 0)
            throw new SnmpDecodeException($"{what}: an empty OBJECT IDENTIFIER");
        var components = new List<uint>(content.Length + 1);
        ulong current = 0;
        var first = true;
        for (var i = 0; i < content.Length; i++)
        {
            var b = content[i];
            if (current > (ulong.MaxValue >> 7))
                throw new SnmpDecodeException($"{what}: a sub-identifier overflows");
            current = (current << 7) | (uint)(b & 0x7f);
            if ((b & 0x80) != 0)
                continue;
            if (first)
            {
                var (x, y) = current < 40 ? (0UL, current) : current < 80 ? (1UL, current - 40) : (2UL, current - 80);
                if (y > uint.MaxValue)
                    throw new SnmpDecodeException($"{what}: a sub-identifier exceeds 32 bits");
                components.Add((uint)x);
                components.Add((uint)y);
                first = false;
            }
            else
            {
                if (current > uint.MaxValue)
                    throw new SnmpDecodeException($"{what}: a sub-identifier exceeds 32 bits");
                components.Add((uint)current);
            }
            current = 0;
        }
        if ((content[^1] & 0x80) != 0)
            throw new SnmpDecodeException($"{what}: the last sub-identifier is cut off");
        if (components.Count > 128)
            throw new SnmpDecodeException($"{what}: more than 128 sub-identifiers");
        return Oid.Own([.. components]);
    }

    /// <summary>Any value a varbind may carry.</summary>
    public SnmpValue ReadValue()
    {
        var content = ReadElement(out var tag, out _);
        const string what = "value";
        switch ((SnmpType)tag)
        {
            case SnmpType.Integer32:
                return SnmpValue.Signed(DecodeSigned(content, what));
            case SnmpType.OctetString:
            case SnmpType.Opaque:
            case SnmpType.NsapAddress:
                return SnmpValue.Raw((SnmpType)tag, content.ToArray());
            case SnmpType.Null:
                return content.IsEmpty ? SnmpValue.Null : throw new SnmpDecodeException("A NULL with content");
            case SnmpType.ObjectIdentifier:
                return SnmpValue.ObjectIdentifier(DecodeOid(content, what));
            case SnmpType.IpAddress:
                return content.Length == 4 ? SnmpValue.Raw(SnmpType.IpAddress, content.ToArray()) : throw new SnmpDecodeException($"An IpAddress of {content.Length} octets");
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.UInteger32:
                // Some agents encode these as signed 32-bit numbers; the low 32 bits are what they meant.
                if (content.Length > 5)
                    throw new SnmpDecodeException($"A {(SnmpType)tag} of {content.Length} octets");
                return SnmpValue.Unsigned((SnmpType)tag, DecodeUnsigned(content, what) & uint.MaxValue);
            case SnmpType.Counter64:
                return SnmpValue.Unsigned(SnmpType.Counter64, DecodeUnsigned(content, what));
            case SnmpType.NoSuchObject:
                return content.IsEmpty ? SnmpValue.NoSuchObject : throw new SnmpDecodeException("noSuchObject with content");
            case SnmpType.NoSuchInstance:
                return content.IsEmpty ? SnmpValue.NoSuchInstance : throw new SnmpDecodeException("noSuchInstance with content");
            case SnmpType.EndOfMibView:
                return content.IsEmpty ? SnmpValue.EndOfMibView : throw new SnmpDecodeException("endOfMibView with content");
            default:
                throw new SnmpDecodeException($"Unknown value type 0x{tag:x2}");
        }
    }
}
