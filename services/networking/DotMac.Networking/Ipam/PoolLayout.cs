using System.Net;
using System.Net.Sockets;

namespace DotMac.Networking.Ipam;

/// <summary>
/// A pool's network cut into equal blocks of <see cref="AssignLength"/> bits: /32 or /128 for single addresses, or
/// shorter IPv6 prefixes for delegation (a /48 handing out /56s). Block 0 is the network's first. For single
/// IPv4 addresses of a /30 or larger the network and broadcast addresses are not handed out; for single IPv6
/// addresses the subnet-router anycast address (the first) is not. Pure arithmetic, no I/O.
/// </summary>
public sealed class PoolLayout
{
    /// <summary>At most 2^64 blocks per pool, so an index fits an unsigned 64-bit number (and numeric(20)).</summary>
    public const int MaxBlockBits = 64;

    readonly UInt128 _base;

    PoolLayout(IPNetwork network, int assignLength)
    {
        Network = network;
        AssignLength = assignLength;
        _base = ToNumber(network.BaseAddress);
        var blockBits = assignLength - network.PrefixLength;
        Blocks = UInt128.One << blockBits;
        var reserveEnds = IsV4 && assignLength == 32 && network.PrefixLength <= 30;
        var reserveAnycast = !IsV4 && assignLength == 128 && network.PrefixLength <= 126;
        FirstUsable = reserveEnds || reserveAnycast ? 1UL : 0UL;
        LastUsable = (ulong)(Blocks - 1) - (reserveEnds ? 1UL : 0UL);
    }

    public IPNetwork Network { get; }
    public int AssignLength { get; }
    public bool IsV4 => Network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
    public int Bits => IsV4 ? 32 : 128;
    public UInt128 Blocks { get; }
    public ulong FirstUsable { get; }
    public ulong LastUsable { get; }
    public UInt128 Usable => (UInt128)LastUsable - FirstUsable + 1;

    /// <summary>The layout, or why not: the network must be in canonical form and the block size inside it.</summary>
    public static PoolLayout? TryCreate(string? network, int? assignLength, out string? error)
    {
        error = null;
        if (!TryParseNetwork(network, out var parsed))
        {
            error = "A network in CIDR notation with no host bits set (e.g. 100.64.0.0/22 or 2001:db8:100::/40).";
            return null;
        }
        var bits = parsed.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var assign = assignLength ?? bits;
        if (assign < parsed.PrefixLength || assign > bits)
        {
            error = $"assignLength must be between the network's length ({parsed.PrefixLength}) and {bits}.";
            return null;
        }
        if (assign - parsed.PrefixLength > MaxBlockBits)
        {
            error = $"At most 2^{MaxBlockBits} blocks per pool: assignLength may be at most {parsed.PrefixLength + MaxBlockBits}.";
            return null;
        }
        return new PoolLayout(parsed, assign);
    }

    /// <summary>A network in CIDR notation with no host bits set ("10.0.0.1/24" is refused, not silently masked).</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        text = text?.Trim();
        var slash = text?.IndexOf('/') ?? -1;
        return slash > 0 && IPNetwork.TryParse(text, out network) && IPAddress.TryParse(text![..slash], out var address) && address.Equals(network.BaseAddress);
    }

    public static PoolLayout Create(string network, int assignLength) =>
        TryCreate(network, assignLength, out var error) ?? throw new ArgumentException(error, nameof(network));

    /// <summary>The first address of block <paramref name="index"/>.</summary>
    public IPAddress AddressOf(ulong index)
    {
        if (index > (ulong)(Blocks - 1))
            throw new ArgumentOutOfRangeException(nameof(index), index, "Outside the pool.");
        return FromNumber(_base + ((UInt128)index << (Bits - AssignLength)), IsV4);
    }

    /// <summary>Block <paramref name="index"/> as text: the address, or address/length for a delegated prefix.</summary>
    public string CidrOf(ulong index) => AssignLength == Bits ? AddressOf(index).ToString() : $"{AddressOf(index)}/{AssignLength}";

    /// <summary>The usable block that starts at <paramref name="address"/>, or null (with why) if there is none.</summary>
    public ulong? IndexOf(IPAddress address, out string? error)
    {
        error = null;
        if (address.AddressFamily != Network.BaseAddress.AddressFamily || !Network.Contains(address))
        {
            error = $"Not inside {Network}.";
            return null;
        }
        var offset = ToNumber(address) - _base;
        var shift = Bits - AssignLength;
        if ((offset & ((UInt128.One << shift) - 1)) != 0)
        {
            error = $"Not the start of a /{AssignLength} block.";
            return null;
        }
        var index = (ulong)(offset >> shift);
        if (index < FirstUsable || index > LastUsable)
        {
            error = "The network's reserved address (network, broadcast or subnet-router anycast) is never handed out.";
            return null;
        }
        return index;
    }

    static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
            value = (value << 8) | bytes[i];
        return value;
    }

    static IPAddress FromNumber(UInt128 value, bool v4)
    {
        var length = v4 ? 4 : 16;
        Span<byte> bytes = stackalloc byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }
}
