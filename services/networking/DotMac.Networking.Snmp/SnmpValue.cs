using System.Globalization;
using System.Net;
using System.Text;

namespace DotMac.Networking.Snmp;

/// <summary>A value of any SNMP type: numbers, octet strings, OIDs, addresses and the three v2 exceptions.</summary>
public sealed class SnmpValue : IEquatable<SnmpValue>
{
    readonly ulong _number;
    readonly byte[]? _bytes;
    readonly Oid? _oid;

    SnmpValue(SnmpType type, ulong number = 0, byte[]? bytes = null, Oid? oid = null)
    {
        Type = type;
        _number = number;
        _bytes = bytes;
        _oid = oid;
    }

    public SnmpType Type { get; }

    public static SnmpValue Null { get; } = new(SnmpType.Null);

    public static SnmpValue NoSuchObject { get; } = new(SnmpType.NoSuchObject);

    public static SnmpValue NoSuchInstance { get; } = new(SnmpType.NoSuchInstance);

    public static SnmpValue EndOfMibView { get; } = new(SnmpType.EndOfMibView);

    public static SnmpValue Integer32(int value) => new(SnmpType.Integer32, unchecked((ulong)value));

    public static SnmpValue OctetString(ReadOnlySpan<byte> value) => new(SnmpType.OctetString, bytes: value.ToArray());

    public static SnmpValue OctetString(string value) => new(SnmpType.OctetString, bytes: Encoding.UTF8.GetBytes(value));

    public static SnmpValue ObjectIdentifier(Oid value) => new(SnmpType.ObjectIdentifier, oid: value ?? throw new ArgumentNullException(nameof(value)));

    public static SnmpValue IpAddress(IPAddress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new ArgumentException("IpAddress is IPv4 only", nameof(value));
        return new(SnmpType.IpAddress, bytes: value.GetAddressBytes());
    }

    public static SnmpValue Counter32(uint value) => new(SnmpType.Counter32, value);

    public static SnmpValue Gauge32(uint value) => new(SnmpType.Gauge32, value);

    public static SnmpValue TimeTicks(uint value) => new(SnmpType.TimeTicks, value);

    public static SnmpValue Counter64(ulong value) => new(SnmpType.Counter64, value);

    public static SnmpValue UInteger32(uint value) => new(SnmpType.UInteger32, value);

    public static SnmpValue Opaque(ReadOnlySpan<byte> value) => new(SnmpType.Opaque, bytes: value.ToArray());

    public static SnmpValue NsapAddress(ReadOnlySpan<byte> value) => new(SnmpType.NsapAddress, bytes: value.ToArray());

    internal static SnmpValue Signed(long value) => new(SnmpType.Integer32, unchecked((ulong)value));

    internal static SnmpValue Unsigned(SnmpType type, ulong value) => new(type, value);

    internal static SnmpValue Raw(SnmpType type, byte[] bytes) => new(type, bytes: bytes);

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public bool IsNumeric => Type is SnmpType.Integer32 or SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks
        or SnmpType.Counter64 or SnmpType.UInteger32;

    /// <summary>The number of an INTEGER (signed) or of an unsigned type.</summary>
    public long ToInt64() => Type switch
    {
        SnmpType.Integer32 => unchecked((long)_number),
        _ when IsNumeric => checked((long)_number),
        _ => throw new InvalidOperationException($"{Type} is not a number"),
    };

    /// <summary>The number of a Counter32, Gauge32, TimeTicks, Counter64 or a non-negative INTEGER.</summary>
    public ulong ToUInt64() => Type switch
    {
        SnmpType.Integer32 => checked((ulong)unchecked((long)_number)),
        _ when IsNumeric => _number,
        _ => throw new InvalidOperationException($"{Type} is not a number"),
    };

    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException($"{Type} has no octets");

    public Oid ToOid() => _oid ?? throw new InvalidOperationException($"{Type} is not an OBJECT IDENTIFIER");

    public IPAddress ToIPAddress() => Type == SnmpType.IpAddress && _bytes is { Length: 4 }
        ? new IPAddress(_bytes)
        : throw new InvalidOperationException($"{Type} is not a 4-octet IpAddress");

    /// <summary>An OCTET STRING as UTF-8 text (DisplayString is ASCII, a subset).</summary>
    public string ToText() => Type == SnmpType.OctetString ? Encoding.UTF8.GetString(Bytes) : ToString();

    public bool Equals(SnmpValue? other) =>
        other is not null && Type == other.Type && _number == other._number && _oid == other._oid
        && (_bytes ?? []).AsSpan().SequenceEqual(other._bytes ?? []);

    public override bool Equals(object? obj) => obj is SnmpValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(_number);
        hash.Add(_oid);
        hash.AddBytes(_bytes ?? []);
        return hash.ToHashCode();
    }

    public override string ToString() => Type switch
    {
        SnmpType.Integer32 => $"INTEGER: {ToInt64().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.OctetString => IsPrintable(Bytes) ? $"STRING: \"{Encoding.ASCII.GetString(Bytes)}\"" : $"Hex-STRING: {Convert.ToHexString(Bytes)}",
        SnmpType.Null => "NULL",
        SnmpType.ObjectIdentifier => $"OID: {_oid}",
        SnmpType.IpAddress => _bytes is { Length: 4 } ? $"IpAddress: {new IPAddress(_bytes)}" : $"IpAddress: {Convert.ToHexString(Bytes)}",
        SnmpType.TimeTicks => $"Timeticks: ({_number.ToString(CultureInfo.InvariantCulture)})",
        SnmpType.Opaque or SnmpType.NsapAddress => $"{Type}: {Convert.ToHexString(Bytes)}",
        SnmpType.NoSuchObject => "No Such Object",
        SnmpType.NoSuchInstance => "No Such Instance",
        SnmpType.EndOfMibView => "End of MIB View",
        _ => $"{Type}: {_number.ToString(CultureInfo.InvariantCulture)}",
    };

    static bool IsPrintable(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7e && b is not (0x09 or 0x0a or 0x0d))
                return false;
        }
        return true;
    }
}
