using DotMac.Contracts.Identity;
using MassTransit;

namespace DotMac.Identity.Data;

/// <summary>
/// Every integration event identity publishes goes through here, right after the change it reports has committed.
/// When the outbox lands this is the one place that changes to write them in the same transaction instead.
/// </summary>
public sealed class IdentityEvents(IBus publish, TimeProvider time)
{
    public Task CustomerCreatedAsync(Guid tenantId, Guid customerId, string kind, string name, string email, string? portalId, CancellationToken cancellationToken) =>
        publish.Publish(new CustomerCreated(tenantId, customerId, kind, name, email, portalId, time.GetUtcNow()), cancellationToken);

    public Task PortalAccountActivatedAsync(Guid tenantId, Guid customerId, string portalId, CancellationToken cancellationToken) =>
        publish.Publish(new PortalAccountActivated(tenantId, customerId, portalId, time.GetUtcNow()), cancellationToken);

    /// <summary>Platform staff have no tenant; their lockouts are reported under the empty tenant id.</summary>
    public Task LockedOutAsync(Guid? tenantId, Guid accountId, string accountKind, DateTimeOffset lockedUntil, CancellationToken cancellationToken) =>
        publish.Publish(new UserLockedOut(tenantId ?? Guid.Empty, accountId, accountKind, lockedUntil, time.GetUtcNow()), cancellationToken);
}
