namespace DotMac.Networking.Snmp;

/// <summary>The MIB-2 / IF-MIB objects monitoring reads, by their numeric OIDs (no MIB files are loaded).</summary>
public static class Mib
{
    public static readonly Oid SysDescr = Oid.Parse("1.3.6.1.2.1.1.1.0");
    public static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    public static readonly Oid IfEntry = Oid.Parse("1.3.6.1.2.1.2.2.1");
    public static readonly Oid IfIndex = Oid.Parse("1.3.6.1.2.1.2.2.1.1");
    public static readonly Oid IfOperStatus = Oid.Parse("1.3.6.1.2.1.2.2.1.8");
    public static readonly Oid IfInOctets = Oid.Parse("1.3.6.1.2.1.2.2.1.10");
    public static readonly Oid IfOutOctets = Oid.Parse("1.3.6.1.2.1.2.2.1.16");
    public static readonly Oid IfXEntry = Oid.Parse("1.3.6.1.2.1.31.1.1.1");
    public static readonly Oid IfHCInOctets = Oid.Parse("1.3.6.1.2.1.31.1.1.1.6");
    public static readonly Oid IfHCOutOctets = Oid.Parse("1.3.6.1.2.1.31.1.1.1.10");
    public static readonly Oid SnmpTrapOid = Oid.Parse("1.3.6.1.6.3.1.1.4.1.0");
    public static readonly Oid LinkDown = Oid.Parse("1.3.6.1.6.3.1.1.5.3");
    public static readonly Oid LinkUp = Oid.Parse("1.3.6.1.6.3.1.1.5.4");
}
