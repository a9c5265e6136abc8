using DotMac.Contracts.Platform;
using DotMac.Platform.Features;
using MassTransit;

namespace DotMac.Platform.Data;

/// <summary>
/// Every integration event platform publishes goes through here, right after the change has committed; the one
/// place to switch to the outbox when it lands.
/// </summary>
public sealed class PlatformEvents(IBus bus, TimeProvider time)
{
    public Task TenantCreatedAsync(TenantRow tenant, TenantSettings settings, CancellationToken cancellationToken) =>
        bus.Publish(new TenantCreated(tenant.Id, tenant.Slug, tenant.Name, tenant.Plan, settings.Currency, settings.TimeZone, time.GetUtcNow()), cancellationToken);

    public Task TenantChangedAsync(TenantRow tenant, IReadOnlyList<string> changed, CancellationToken cancellationToken) =>
        bus.Publish(new TenantSettingsChanged(tenant.Id, changed, tenant.SettingsVersion, tenant.Plan, tenant.Status, time.GetUtcNow()), cancellationToken);
}
