namespace DotMac.Contracts;

/// <summary>
/// Every integration event says which tenant it belongs to and when it happened. MassTransit also publishes each
/// event to this interface's exchange, so a consumer of <see cref="IIntegrationEvent"/> (the events service's audit
/// history) sees every event without knowing each type.
/// </summary>
public interface IIntegrationEvent
{
    Guid TenantId { get; }
    DateTimeOffset OccurredAt { get; }
}
