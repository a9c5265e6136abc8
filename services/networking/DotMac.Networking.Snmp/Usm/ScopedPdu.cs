namespace DotMac.Networking.Snmp.Usm;

/// <summary>A PDU with its SNMPv3 context.</summary>
internal sealed record ScopedPdu(byte[] ContextEngineId, byte[] ContextName, SnmpPdu Pdu);
