namespace DotMac.Networking.Snmp;

/// <summary>The msgVersion field's values.</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
    V3 = 3,
}
