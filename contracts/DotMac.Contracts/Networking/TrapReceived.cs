namespace DotMac.Contracts.Networking;

/// <summary>
/// An SNMP notification from a known device. <paramref name="TrapOid"/> is its snmpTrapOID (v1 traps mapped per RFC 3584);
/// for linkDown/linkUp <paramref name="InterfaceIndex"/> and, when discovered, <paramref name="InterfaceId"/> name the
/// interface. <paramref name="Variables"/> are the varbinds after sysUpTime/snmpTrapOID as net-snmp prints them
/// (".1.3.6.1.2.1.2.2.1.1.2 = INTEGER: 2").
/// </summary>
[PublishedBy("networking")]
public sealed record TrapReceived(
    Guid TenantId,
    Guid DeviceId,
    string Source,
    string Version,
    string TrapOid,
    int? InterfaceIndex,
    Guid? InterfaceId,
    IReadOnlyList<string> Variables,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
