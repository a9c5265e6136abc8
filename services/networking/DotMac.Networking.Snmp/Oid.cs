using System.Globalization;
using System.Text;

namespace DotMac.Networking.Snmp;

/// <summary>An OBJECT IDENTIFIER: an immutable sequence of 32-bit sub-identifiers, ordered lexicographically as SNMP
/// orders the MIB.</summary>
public sealed class Oid : IEquatable<Oid>, IComparable<Oid>
{
    readonly uint[] _components;
    string? _text;

    public Oid(params uint[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        _components = (uint[])components.Clone();
    }

    Oid(uint[] components, bool _) => _components = components;

    internal static Oid Own(uint[] components) => new(components, true);

    public ReadOnlySpan<uint> Components => _components;

    public int Length => _components.Length;

    public uint this[int index] => _components[index];

    public static Oid Parse(string text)
    {
        if (!TryParse(text, out var oid))
            throw new FormatException($"'{text}' is not a numeric OBJECT IDENTIFIER");
        return oid;
    }

    public static bool TryParse(string? text, out Oid oid)
    {
        oid = null!;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var parts = text.Trim().TrimStart('.').Split('.');
        var components = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out components[i]))
                return false;
        }
        oid = Own(components);
        return true;
    }

    public Oid Append(params uint[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        return Own([.. _components, .. more]);
    }

    /// <summary>True when this OID lies inside the subtree rooted at <paramref name="root"/> (or is the root).</summary>
    public bool StartsWith(Oid root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root._components.Length <= _components.Length && _components.AsSpan(0, root._components.Length).SequenceEqual(root._components);
    }

    /// <summary>The sub-identifiers after <paramref name="root"/>, e.g. a table row's index.</summary>
    public ReadOnlySpan<uint> After(Oid root) => StartsWith(root) ? _components.AsSpan(root.Length) : throw new ArgumentException($"{this} is not under {root}", nameof(root));

    public int CompareTo(Oid? other)
    {
        if (other is null)
            return 1;
        return _components.AsSpan().SequenceCompareTo(other._components);
    }

    public bool Equals(Oid? other) => other is not null && _components.AsSpan().SequenceEqual(other._components);

    public override bool Equals(object? obj) => obj is Oid other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in _components)
            hash.Add(c);
        return hash.ToHashCode();
    }

    /// <summary>Dotted form with a leading dot, as net-snmp prints with -On.</summary>
    public override string ToString()
    {
        if (_text is not null)
            return _text;
        var sb = new StringBuilder(_components.Length * 4);
        foreach (var c in _components)
            sb.Append('.').Append(c.ToString(CultureInfo.InvariantCulture));
        return _text = sb.ToString();
    }

    public static bool operator ==(Oid? left, Oid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Oid? left, Oid? right) => !(left == right);

    public static bool operator <(Oid left, Oid right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator >(Oid left, Oid right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator <=(Oid left, Oid right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >=(Oid left, Oid right) => left is null ? right is null : left.CompareTo(right) >= 0;
}
