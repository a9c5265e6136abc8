namespace DotMac.Networking.Snmp;

/// <summary>One variable binding: a name and its value.</summary>
public readonly record struct VarBind(Oid Oid, SnmpValue Value)
{
    /// <summary>A binding for a request: the name with a NULL value.</summary>
    public static VarBind Request(Oid oid) => new(oid, SnmpValue.Null);

    public override string ToString() => $"{Oid} = {Value}";
}
