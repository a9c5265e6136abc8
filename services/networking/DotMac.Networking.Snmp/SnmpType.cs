namespace DotMac.Networking.Snmp;

/// <summary>The BER tag of each SNMP value type (RFC 2578 / RFC 3416).</summary>
#pragma warning disable CA1028 // the values are the wire tags
public enum SnmpType : byte
#pragma warning restore CA1028
{
    Integer32 = 0x02,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    IpAddress = 0x40,
    Counter32 = 0x41,
    Gauge32 = 0x42,
    TimeTicks = 0x43,
    Opaque = 0x44,
    NsapAddress = 0x45,
    Counter64 = 0x46,
    UInteger32 = 0x47,
    NoSuchObject = 0x80,
    NoSuchInstance = 0x81,
    EndOfMibView = 0x82,
}
