using System.Buffers.Binary;

namespace DotMac.Networking.Snmp.Ber;

/// <summary>
/// Writes BER front to back. A constructed element reserves one length octet and moves its content when the final
/// length needs the long form, which SNMP messages (mostly under 128 octets per element) rarely do.
/// </summary>
internal sealed class BerWriter
{
    byte[] _buffer;
    int _length;

    public BerWriter(int capacity = 256) => _buffer = new byte[capacity];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Clear() => _length = 0;

    public int BeginConstructed(byte tag)
    {
        Ensure(2);
        _buffer[_length++] = tag;
        _buffer[_length++] = 0;
        return _length;
    }

    public void BeginSequence(out int mark) => mark = BeginConstructed(0x30);

    public void End(int mark)
    {
        var contentLength = _length - mark;
        if (contentLength < 0x80)
        {
            _buffer[mark - 1] = (byte)contentLength;
            return;
        }
        var extra = LengthOfLength(contentLength) - 1;
        Ensure(extra);
        _buffer.AsSpan(mark, contentLength).CopyTo(_buffer.AsSpan(mark + extra));
        _length += extra;
        WriteLengthAt(mark - 1, contentLength);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteElement(byte tag, ReadOnlySpan<byte> content)
    {
        Ensure(1 + LengthOfLength(content.Length) + content.Length);
        _buffer[_length++] = tag;
        WriteLengthAt(_length, content.Length);
        _length += LengthOfLength(content.Length);
        content.CopyTo(_buffer.AsSpan(_length));
        _length += content.Length;
    }

    public void WriteInteger(long value, byte tag = 0x02)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        var start = 0;
        while (start < 7 && ((bytes[start] == 0x00 && (bytes[start + 1] & 0x80) == 0) || (bytes[start] == 0xff && (bytes[start + 1] & 0x80) != 0)))
            start++;
        WriteElement(tag, bytes[start..]);
    }

    public void WriteUnsigned(ulong value, byte tag)
    {
        Span<byte> bytes = stackalloc byte[9];
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], value);
        var start = 1;
        while (start < 8 && bytes[start] == 0)
            start++;
        if ((bytes[start] & 0x80) != 0)
            start--; // a leading zero keeps the number positive
        WriteElement(tag, bytes[start..]);
    }

    public void WriteOctetString(ReadOnlySpan<byte> value, byte tag = 0x04) => WriteElement(tag, value);

    public void WriteNull(byte tag = 0x05) => WriteElement(tag, []);

    public void WriteOid(Oid oid, byte tag = 0x06)
    {
        var c = oid.Components;
        Span<byte> content = stackalloc byte[5 * Math.Max(c.Length, 2) + 1];
        var n = 0;
        ulong first = c.Length switch
        {
            0 => 0,
            1 => c[0] * 40UL,
            _ => c[0] * 40UL + c[1],
        };
        n += WriteBase128(content[n..], first);
        for (var i = 2; i < c.Length; i++)
            n += WriteBase128(content[n..], c[i]);
        WriteElement(tag, content[..n]);
    }

    public void WriteValue(SnmpValue value)
    {
        var tag = (byte)value.Type;
        switch (value.Type)
        {
            case SnmpType.Integer32:
                WriteInteger(value.ToInt64());
                break;
            case SnmpType.OctetString:
            case SnmpType.Opaque:
            case SnmpType.NsapAddress:
            case SnmpType.IpAddress:
                WriteOctetString(value.Bytes, tag);
                break;
            case SnmpType.ObjectIdentifier:
                WriteOid(value.ToOid());
                break;
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.UInteger32:
            case SnmpType.Counter64:
                WriteUnsigned(value.ToUInt64(), tag);
                break;
            default:
                WriteNull(tag); // NULL and the three exceptions have no content
                break;
        }
    }

    static int WriteBase128(Span<byte> destination, ulong value)
    {
        var groups = 1;
        for (var v = value >> 7; v != 0; v >>= 7)
            groups++;
        for (var i = groups - 1; i >= 0; i--)
        {
            var b = (byte)((value >> (7 * i)) & 0x7f);
            destination[groups - 1 - i] = i == 0 ? b : (byte)(b | 0x80);
        }
        return groups;
    }

    static int LengthOfLength(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xff => 2,
        <= 0xffff => 3,
        <= 0xffffff => 4,
        _ => 5,
    };

    void WriteLengthAt(int offset, int length)
    {
        var size = LengthOfLength(length);
        if (size == 1)
        {
            _buffer[offset] = (byte)length;
            return;
        }
        _buffer[offset] = (byte)(0x80 | (size - 1));
        for (var i = size - 1; i >= 1; i--)
        {
            _buffer[offset + i] = (byte)length;
            length >>= 8;
        }
    }

    void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
