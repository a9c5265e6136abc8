using DotMac.Analytics.Apis;

namespace DotMac.Analytics.Data;

// Rows as PostgreSQL answers them, turned into the API's points.

internal sealed class SubscriberRow
{
    public DateOnly Period { get; init; }
    public long Active { get; init; }
    public long Suspended { get; init; }
    public long Terminated { get; init; }
    public long Activated { get; init; }
    public long Churned { get; init; }

    public AnalyticsApi.SubscriberPoint ToPoint() => new(Period, Active, Suspended, Terminated, Activated, Churned);
}

internal sealed class ProvisioningRow
{
    public DateOnly Period { get; init; }
    public long Submitted { get; init; }
    public long Activated { get; init; }
    public long Failed { get; init; }
    public double? LeadTimeP50Seconds { get; init; }
    public double? LeadTimeP95Seconds { get; init; }

    public AnalyticsApi.ProvisioningPoint ToPoint() => new(Period, Submitted, Activated, Failed, LeadTimeP50Seconds, LeadTimeP95Seconds);
}

internal sealed class ReasonRow
{
    public string? Reason { get; init; }
    public long Orders { get; init; }
}

internal sealed class TenantSettingsRow
{
    public string TimeZone { get; init; } = "UTC";
    public string? Currency { get; init; }
}
