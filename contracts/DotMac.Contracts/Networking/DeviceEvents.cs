namespace DotMac.Contracts.Networking;

/// <summary>A monitored device stopped answering SNMP (its poll timed out or failed).</summary>
[PublishedBy("networking")]
public sealed record DeviceDown(
    Guid TenantId,
    Guid DeviceId,
    string DeviceName,
    string ManagementAddress,
    string Reason,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>A monitored device answers SNMP again (or for the first time).</summary>
[PublishedBy("networking")]
public sealed record DeviceUp(
    Guid TenantId,
    Guid DeviceId,
    string DeviceName,
    string ManagementAddress,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
