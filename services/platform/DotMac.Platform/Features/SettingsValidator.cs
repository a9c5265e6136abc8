using DotMac.ServiceDefaults.Problems;

namespace DotMac.Platform.Features;

/// <summary>Every rule of <see cref="TenantSettings"/>; all failures at once, as 422 with field paths.</summary>
public static class SettingsValidator
{
    public static readonly IReadOnlySet<string> Plans = new HashSet<string>(StringComparer.Ordinal) { "starter", "standard", "enterprise" };

    public static void Validate(TenantSettings settings, string prefix = "settings")
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[$"{prefix}.{field}"] = [message];

        if (!Iso4217.IsActive(settings.Currency))
            Fail("currency", "must be an active ISO 4217 code in upper case, e.g. USD, EUR, NGN");
        if (!IsIanaTimeZone(settings.TimeZone))
            Fail("timeZone", "must be an IANA time zone, e.g. Africa/Lagos or Europe/Berlin");
        if (settings.BillingDay is < 1 or > 28)
            Fail("billingDay", "must be between 1 and 28 (every month has it)");
        if (settings.TaxRates.Count > 3)
            Fail("taxRates", "at most three tax rates");
        for (var i = 0; i < settings.TaxRates.Count; i++)
        {
            var tax = settings.TaxRates[i];
            if (string.IsNullOrWhiteSpace(tax.Name) || tax.Name.Length > 40)
                Fail($"taxRates[{i}].name", "must be 1 to 40 characters");
            if (tax.Percent <= 0 || tax.Percent > 100 || decimal.Round(tax.Percent, 4) != tax.Percent)
                Fail($"taxRates[{i}].percent", "must be above 0 and at most 100, with at most 4 decimals");
        }
        if (settings.TaxRates.Select(t => t.Name.Trim().ToUpperInvariant()).Distinct().Count() != settings.TaxRates.Count)
            Fail("taxRates", "names must be unique");
        var dunning = settings.Dunning;
        if (dunning.ReminderDays.Count > 5 || dunning.ReminderDays.Any(d => d < 0) || !dunning.ReminderDays.SequenceEqual(dunning.ReminderDays.Order().Distinct()))
            Fail("dunning.reminderDays", "up to five distinct days, ascending, not negative");
        if (dunning.SuspendAfterDays <= (dunning.ReminderDays.Count > 0 ? dunning.ReminderDays.Max() : 0))
            Fail("dunning.suspendAfterDays", "must come after the last reminder");
        if (dunning.TerminateAfterDays <= dunning.SuspendAfterDays || dunning.TerminateAfterDays > 365)
            Fail("dunning.terminateAfterDays", "must come after suspension, within 365 days");
        if (errors.Count > 0)
            throw new ValidationFailedException(errors, "tenant.settings_invalid");
    }

    // IANA names only: the zone must resolve, and Windows names ("W. Europe Standard Time") are refused so every
    // service reads the same identifier the same way.
    static bool IsIanaTimeZone(string id) =>
        id.Length is > 0 and < 64
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
        && zone.HasIanaId;
}
