namespace DotMac.Contracts.Platform;

/// <summary>A tax of a tenant, in percent; an inclusive tax is part of the listed price, an exclusive one is added to it.</summary>
public sealed record TenantTaxRate(string Name, decimal Percent, bool Inclusive);

/// <summary>
/// What billing needs of a tenant's settings, whole, as of <paramref name="SettingsVersion"/>: published when the tenant
/// is created and whenever one of these settings changes (billing keeps the newest version it has seen).
/// Dunning days count from an invoice's due date.
/// </summary>
[PublishedBy("platform")]
public sealed record TenantBillingSettingsChanged(
    Guid TenantId,
    int SettingsVersion,
    string Currency,
    string TimeZone,
    int BillingDay,
    IReadOnlyList<TenantTaxRate> TaxRates,
    IReadOnlyList<int> ReminderDays,
    int SuspendAfterDays,
    int TerminateAfterDays,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
