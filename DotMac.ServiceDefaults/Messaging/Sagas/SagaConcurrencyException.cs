using MassTransit;

namespace DotMac.ServiceDefaults.Messaging.Sagas;

/// <summary>
/// Another message changed the saga instance between this one's load and save. Nothing of this attempt committed;
/// the endpoint's retry runs the message again against the fresh state.
/// </summary>
public sealed class SagaConcurrencyException(Type sagaType, Guid correlationId, int version)
    : ConcurrencyException($"Saga {sagaType.Name} {correlationId} changed since version {version} was loaded.", sagaType, correlationId);
