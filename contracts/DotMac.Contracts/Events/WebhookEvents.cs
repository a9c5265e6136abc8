namespace DotMac.Contracts.Events;

/// <summary>
/// A webhook delivery was given up after its retry window (24 h by default): the partner's endpoint never accepted it.
/// The delivery stays recorded with every attempt and can be replayed.
/// </summary>
[PublishedBy("events")]
public sealed record WebhookDeliveryFailed(
    Guid TenantId,
    Guid SubscriptionId,
    Guid DeliveryId,
    Guid EventId,
    string EventType,
    string Url,
    int Attempts,
    string LastError,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
