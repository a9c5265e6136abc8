namespace DotMac.Platform.Features;

/// <summary>A tenant's settings: what its invoices are in and when, which taxes apply, how overdue invoices escalate.</summary>
public sealed record TenantSettings(
    string Currency,
    string TimeZone,
    int BillingDay,
    IReadOnlyList<TaxRate> TaxRates,
    DunningPolicy Dunning);

/// <summary>A tax, in percent; inclusive taxes are part of the listed price, exclusive ones are added to it.</summary>
public sealed record TaxRate(string Name, decimal Percent, bool Inclusive);

/// <summary>Days after an invoice's due date: reminders, then suspension, then termination.</summary>
public sealed record DunningPolicy(IReadOnlyList<int> ReminderDays, int SuspendAfterDays, int TerminateAfterDays);
