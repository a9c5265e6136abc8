using DotMac.Contracts.Identity;
using MassTransit;

namespace DotMac.Identity.Data;

/// <summary>
/// Every integration event identity publishes goes through here, into the outbox. CustomerCreated is published on
/// the request's own endpoint, inside its DbSession transaction, so it commits with the customer. The others follow a
/// change committed elsewhere (a password check, an activation); they are written to the outbox in a scope of their
/// own and committed at once, so they are durable the moment the call returns.
/// </summary>
public sealed class IdentityEvents(IServiceScopeFactory scopes, TimeProvider time)
{
    public Task CustomerCreatedAsync(IPublishEndpoint publish, Guid tenantId, Guid customerId, string kind, string name, string email, string? portalId,
        CancellationToken cancellationToken) =>
        publish.Publish(new CustomerCreated(tenantId, customerId, kind, name, email, portalId, time.GetUtcNow()), cancellationToken);

    public Task PortalAccountActivatedAsync(Guid tenantId, Guid customerId, string portalId, CancellationToken cancellationToken) =>
        PublishAsync(new PortalAccountActivated(tenantId, customerId, portalId, time.GetUtcNow()), cancellationToken);

    /// <summary>Platform staff have no tenant; their lockouts are reported under the empty tenant id.</summary>
    public Task LockedOutAsync(Guid? tenantId, Guid accountId, string accountKind, DateTimeOffset lockedUntil, CancellationToken cancellationToken) =>
        PublishAsync(new UserLockedOut(tenantId ?? Guid.Empty, accountId, accountKind, lockedUntil, time.GetUtcNow()), cancellationToken);

    async Task PublishAsync<T>(T message, CancellationToken cancellationToken)
        where T : class
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(message, cancellationToken);
    }
}
