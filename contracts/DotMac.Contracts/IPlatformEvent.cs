namespace DotMac.Contracts;

/// <summary>
/// An event of the platform itself, not of one tenant (a feature flag changed): it says when, and goes to the services,
/// not to a tenant's history or webhooks. Everything a tenant's partners may see is an <see cref="IIntegrationEvent"/>.
/// </summary>
public interface IPlatformEvent
{
    DateTimeOffset OccurredAt { get; }
}
