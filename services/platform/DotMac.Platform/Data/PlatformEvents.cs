using DotMac.Contracts.Platform;
using DotMac.Platform.Features;
using MassTransit;

namespace DotMac.Platform.Data;

/// <summary>
/// Every integration event platform publishes goes through here, into the outbox: called inside the request's
/// DbSession transaction, the event commits with the change it reports (or vanishes with it).
/// </summary>
public sealed class PlatformEvents(IPublishEndpoint bus, TimeProvider time)
{
    public Task TenantCreatedAsync(TenantRow tenant, TenantSettings settings, CancellationToken cancellationToken) =>
        bus.Publish(new TenantCreated(tenant.Id, tenant.Slug, tenant.Name, tenant.Plan, settings.Currency, settings.TimeZone, time.GetUtcNow()), cancellationToken);

    /// <summary>Billing's copy of the settings it invoices and duns by: at creation and after any change of them.</summary>
    public Task BillingSettingsAsync(TenantRow tenant, TenantSettings settings, CancellationToken cancellationToken) =>
        bus.Publish(new TenantBillingSettingsChanged(tenant.Id, tenant.SettingsVersion, settings.Currency, settings.TimeZone, settings.BillingDay,
            [.. settings.TaxRates.Select(t => new TenantTaxRate(t.Name, t.Percent, t.Inclusive))], settings.Dunning.ReminderDays,
            settings.Dunning.SuspendAfterDays, settings.Dunning.TerminateAfterDays, time.GetUtcNow()), cancellationToken);

    public Task TenantChangedAsync(TenantRow tenant, IReadOnlyList<string> changed, CancellationToken cancellationToken) =>
        bus.Publish(new TenantSettingsChanged(tenant.Id, changed, tenant.SettingsVersion, tenant.Plan, tenant.Status, time.GetUtcNow()), cancellationToken);

    /// <summary>A flag's whole definition after a change (or its deletion), for every instance's flag cache.</summary>
    public Task FeatureFlagChangedAsync(FeatureFlagChanged changed, CancellationToken cancellationToken) => bus.Publish(changed, cancellationToken);
}
