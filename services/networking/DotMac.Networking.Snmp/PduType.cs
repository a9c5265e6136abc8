namespace DotMac.Networking.Snmp;

/// <summary>The context-specific tag of each PDU.</summary>
#pragma warning disable CA1028 // the values are the wire tags
public enum PduType : byte
#pragma warning restore CA1028
{
    GetRequest = 0xA0,
    GetNextRequest = 0xA1,
    Response = 0xA2,
    SetRequest = 0xA3,
    TrapV1 = 0xA4,
    GetBulkRequest = 0xA5,
    InformRequest = 0xA6,
    TrapV2 = 0xA7,
    Report = 0xA8,
}
