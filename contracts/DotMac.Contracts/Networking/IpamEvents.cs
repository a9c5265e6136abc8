namespace DotMac.Contracts.Networking;

/// <summary>
/// A block of an IP pool was handed out: <paramref name="Address"/> is an address, or address/length for a delegated
/// IPv6 prefix. <paramref name="Reference"/> names the holder (a service order, a subscriber), if one was given.
/// </summary>
[PublishedBy("networking")]
public sealed record IpAllocated(
    Guid TenantId,
    Guid PoolId,
    Guid AllocationId,
    string Address,
    string? Reference,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>An allocated or reserved block went back to its pool.</summary>
[PublishedBy("networking")]
public sealed record IpReleased(
    Guid TenantId,
    Guid PoolId,
    Guid AllocationId,
    string Address,
    string? Reference,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
