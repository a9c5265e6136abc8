using DotMac.ServiceDefaults.Data;

namespace DotMac.Services.Plans;

/// <summary>
/// What a subscriber gets and pays. Speeds in Mbps. A burst (both burst speeds and its duration) lets a line exceed its
/// rate briefly; a data cap (GB per billing period) with fair-use speeds slows the line once the cap is used. The price is
/// per billing period, in the currency's major unit.
/// </summary>
public sealed record PlanTerms(
    int DownloadMbps,
    int UploadMbps,
    decimal Price,
    string Currency,
    string BillingPeriod = "monthly",
    int? BurstDownloadMbps = null,
    int? BurstUploadMbps = null,
    int? BurstSeconds = null,
    int? DataCapGb = null,
    int? FairUseDownloadMbps = null,
    int? FairUseUploadMbps = null);

public sealed record CreatePlanRequest(string Code, string Name, PlanTerms Terms);

public sealed record PlanVersionResponse(int Version, PlanTerms Terms, DateTimeOffset CreatedAt);

public sealed record PlanResponse(Guid Id, string Code, string Name, string Status, int Version, PlanTerms Terms, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed class PlanRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public int DownloadMbps { get; init; }
    public int UploadMbps { get; init; }
    public int? BurstDownloadMbps { get; init; }
    public int? BurstUploadMbps { get; init; }
    public int? BurstSeconds { get; init; }
    public int? DataCapGb { get; init; }
    public int? FairUseDownloadMbps { get; init; }
    public int? FairUseUploadMbps { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "";
    public string BillingPeriod { get; init; } = "";
    public DateTime VersionCreatedAt { get; init; }

    public PlanTerms Terms => new(DownloadMbps, UploadMbps, Price, Currency.Trim(), BillingPeriod, BurstDownloadMbps, BurstUploadMbps, BurstSeconds,
        DataCapGb, FairUseDownloadMbps, FairUseUploadMbps);

    public PlanResponse ToResponse() => new(Id, Code, Name, Status, Version, Terms, Times.Utc(CreatedAt), Times.Utc(UpdatedAt));

    public PlanVersionResponse ToVersionResponse() => new(Version, Terms, Times.Utc(VersionCreatedAt));
}
