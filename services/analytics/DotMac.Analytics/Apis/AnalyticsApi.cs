using Dapper;
using DotMac.Analytics.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Analytics.Apis;

/// <summary>
/// The ISP's numbers, per tenant, in the tenant's local days (its time zone from platform's events) and its currency,
/// from analytics' own read models. Permission analytics:read at tenant scope (a customer's token is 403).
///   GET /api/v1/summary?date=                            every figure of one day
///   GET /api/v1/series/{name}?from=&amp;to=&amp;grain=&amp;format=    one figure over a range (day, week or month periods), JSON or CSV
/// Series: subscribers, provisioning, revenue, plans, sites, collections, network, downtime.
/// </summary>
public static class AnalyticsApi
{
    public sealed record SubscriberPoint(DateOnly Period, long Active, long Suspended, long Terminated, long Activated, long Churned);
    public sealed record ProvisioningPoint(DateOnly Period, long Submitted, long Activated, long Failed, double? LeadTimeP50Seconds, double? LeadTimeP95Seconds);
    public sealed record FailureReason(string Reason, long Orders);

    /// <summary>MRR (monthly-equivalent price of active and suspended subscriptions) at the period's start and end, and what moved it.</summary>
    public sealed class RevenuePoint
    {
        public DateOnly Period { get; init; }
        public long SubscribersAtStart { get; init; }
        public decimal MrrAtStart { get; init; }
        public long Subscribers { get; init; }
        public decimal Mrr { get; init; }
        public decimal? Arpu { get; init; }
        public decimal NewMrr { get; init; }
        public decimal ExpansionMrr { get; init; }
        public decimal ContractionMrr { get; init; }
        public decimal ChurnedMrr { get; init; }
        public long ChurnedSubscribers { get; init; }
        public double? LogoChurn { get; init; }
        public double? RevenueChurn { get; init; }
        public double? NetRevenueChurn { get; init; }
    }

    /// <summary>A plan's subscribers and MRR at the period's end.</summary>
    public sealed class PlanPoint
    {
        public DateOnly Period { get; init; }
        public Guid? PlanId { get; init; }
        public long Active { get; init; }
        public long Suspended { get; init; }
        public decimal Mrr { get; init; }
    }

    /// <summary>A site's subscribers and MRR at the period's end (the site of the prefix each address came from; none when the prefix names none).</summary>
    public sealed class SitePoint
    {
        public DateOnly Period { get; init; }
        public string? Site { get; init; }
        public long Active { get; init; }
        public long Suspended { get; init; }
        public decimal Mrr { get; init; }
    }

    /// <summary>Money in the period, and at its end what is outstanding by ageing (days past due) and the DSO.</summary>
    public sealed class CollectionsPoint
    {
        public DateOnly Period { get; init; }
        public long Invoices { get; init; }
        public decimal Invoiced { get; init; }
        public decimal Collected { get; init; }
        public decimal Credited { get; init; }
        public decimal Outstanding { get; init; }
        public decimal NotDue { get; init; }
        public decimal Overdue0To30 { get; init; }
        public decimal Overdue31To60 { get; init; }
        public decimal Overdue61To90 { get; init; }
        public decimal OverdueOver90 { get; init; }
        public long OverdueInvoices { get; init; }
        public double? DaysSalesOutstanding { get; init; }
    }

    /// <summary>Devices up and down at the period's end, and the minutes of downtime of all devices within it.</summary>
    public sealed class NetworkPoint
    {
        public DateOnly Period { get; init; }
        public long DevicesUp { get; init; }
        public long DevicesDown { get; init; }
        public double DowntimeMinutes { get; init; }
    }

    /// <summary>One device's downtime within a period (devices without any are left out).</summary>
    public sealed class DowntimePoint
    {
        public DateOnly Period { get; init; }
        public Guid DeviceId { get; init; }
        public string DeviceName { get; init; } = "";
        public double DowntimeMinutes { get; init; }
        public long Outages { get; init; }
    }

    public sealed record Series<T>(Guid TenantId, string TimeZone, string? Currency, string Grain, DateOnly From, DateOnly To, IReadOnlyList<T> Points);

    public sealed record Summary(Guid TenantId, DateOnly Date, string TimeZone, string? Currency, SubscriberPoint Subscribers,
        ProvisioningPoint Provisioning, IReadOnlyList<FailureReason> FailureReasons, RevenuePoint Revenue, IReadOnlyList<PlanPoint> Plans, IReadOnlyList<SitePoint> Sites,
        CollectionsPoint Collections, NetworkPoint Network, IReadOnlyList<DowntimePoint> Downtime);

    static readonly string[] Grains = ["day", "week", "month"];
    const int MaxDays = 3660;

    public static void MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/summary", SummaryAsync).WithTags("Analytics").RequirePermission("analytics", "read")
            .WithSummary("One day's figures: subscribers, orders, MRR and churn, plans and sites, invoicing and collections, the network");
        MapSeries<SubscriberRow, SubscriberPoint>(app, "subscribers", "Subscribers over a range: by state at each period's end, activations and churn within it",
            AnalyticsSql.Subscribers, r => r.ToPoint());
        MapSeries<ProvisioningRow, ProvisioningPoint>(app, "provisioning", "Service orders over a range: submitted, activated, failed, order-to-active p50 and p95",
            AnalyticsSql.Provisioning, r => r.ToPoint());
        MapSeries<RevenuePoint, RevenuePoint>(app, "revenue", "MRR over a range: at each period's start and end, new, expansion, contraction, churned; ARPU; logo and revenue churn",
            AnalyticsSql.Revenue, r => r);
        MapSeries<PlanPoint, PlanPoint>(app, "plans", "Subscribers and MRR per plan at each period's end", AnalyticsSql.Plans, r => r);
        MapSeries<SitePoint, SitePoint>(app, "sites", "Subscribers and MRR per site at each period's end", AnalyticsSql.Sites, r => r);
        MapSeries<CollectionsPoint, CollectionsPoint>(app, "collections", "Invoiced, collected and credited per period; outstanding by ageing bucket and DSO at each period's end",
            AnalyticsSql.Collections, r => r);
        MapSeries<NetworkPoint, NetworkPoint>(app, "network", "Devices up and down at each period's end and the minutes of downtime within it",
            AnalyticsSql.Network, r => r);
        MapSeries<DowntimePoint, DowntimePoint>(app, "downtime", "Minutes of downtime per device per period", AnalyticsSql.Downtime, r => r);
    }

    static void MapSeries<TRow, T>(IEndpointRouteBuilder app, string name, string summary, string sql, Func<TRow, T> point) =>
        app.MapGet($"/api/v1/series/{name}", (Caller caller, NpgsqlDataSource db, HttpContext http, DateOnly from, DateOnly to, CancellationToken cancellationToken,
                string grain = "day", string? format = null) =>
                SeriesAsync(caller, db, http, name, sql, point, from, to, grain, format, cancellationToken))
            .WithName($"Analytics_{char.ToUpperInvariant(name[0])}{name[1..]}")
            .WithTags("Analytics").RequirePermission("analytics", "read").WithSummary(summary)
            .WithDescription("JSON by default; CSV (RFC 4180, a header row, the tenant's currency and time zone in every row) with format=csv or Accept: text/csv.")
            .Produces<Series<T>>(StatusCodes.Status200OK, "application/json", "text/csv");

    static async Task<Summary> SummaryAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, DateOnly? date = null)
    {
        var tenant = TenantOf(caller);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await SettingsAsync(connection, tenant, cancellationToken);
        var day = date ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone(settings.TimeZone)).DateTime);
        var parameters = Parameters(tenant, day, day, "day");
        async Task<List<TRow>> Query<TRow>(string sql) =>
            [.. await connection.QueryAsync<TRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
        var subscribers = (await Query<SubscriberRow>(AnalyticsSql.Subscribers)).Single().ToPoint();
        var provisioning = (await Query<ProvisioningRow>(AnalyticsSql.Provisioning)).Single().ToPoint();
        var reasons = (await Query<ReasonRow>(AnalyticsSql.FailureReasons)).Select(r => new FailureReason(r.Reason ?? "", r.Orders));
        var revenue = (await Query<RevenuePoint>(AnalyticsSql.Revenue)).Single();
        var plans = await Query<PlanPoint>(AnalyticsSql.Plans);
        var sites = await Query<SitePoint>(AnalyticsSql.Sites);
        var collections = (await Query<CollectionsPoint>(AnalyticsSql.Collections)).Single();
        var network = (await Query<NetworkPoint>(AnalyticsSql.Network)).Single();
        var downtime = await Query<DowntimePoint>(AnalyticsSql.Downtime);
        return new Summary(tenant, day, settings.TimeZone, settings.Currency, subscribers, provisioning, [.. reasons], revenue, plans, sites, collections, network, downtime);
    }

    static async Task<IResult> SeriesAsync<TRow, T>(Caller caller, NpgsqlDataSource db, HttpContext http, string name, string sql, Func<TRow, T> point,
        DateOnly from, DateOnly to, string grain, string? format, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        var errors = new Dictionary<string, string[]>();
        if (!Grains.Contains(grain))
            errors["grain"] = ["day, week or month"];
        if (to < from)
            errors["to"] = ["on or after from"];
        else if (to.DayNumber - from.DayNumber > MaxDays)
            errors["to"] = [$"at most {MaxDays} days after from"];
        if (format is not (null or "json" or "csv"))
            errors["format"] = ["json or csv"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        var csv = format == "csv" || format is null && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await SettingsAsync(connection, tenant, cancellationToken);
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(sql, Parameters(tenant, from, to, grain), cancellationToken: cancellationToken));
        List<T> points = [.. rows.Select(point)];
        if (!csv)
            return TypedResults.Ok(new Series<T>(tenant, settings.TimeZone, settings.Currency, grain, from, to, points));
        var file = $"analytics-{name}-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}-{grain}.csv";
        return TypedResults.File(Csv.Write(points, settings.TimeZone, settings.Currency), "text/csv; charset=utf-8; header=present", file);
    }

    /// <summary>The caller's tenant (platform staff name one with X-Tenant-Id); a customer's own-scope grant is not enough.</summary>
    static Guid TenantOf(Caller caller)
    {
        caller.Require("analytics", "read", PermissionScope.Tenant);
        return caller.TenantId;
    }

    static async Task<TenantSettingsRow> SettingsAsync(NpgsqlConnection connection, Guid tenant, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<TenantSettingsRow>(new CommandDefinition(AnalyticsSql.Tenant, new { TenantId = tenant }, cancellationToken: cancellationToken))
        ?? new TenantSettingsRow { TimeZone = "UTC" };

    // Dapper does not bind DateOnly: the days go as midnights (timestamp without time zone) and the SQL casts them to dates.
    static object Parameters(Guid tenant, DateOnly from, DateOnly to, string grain) =>
        new { TenantId = tenant, From = from.ToDateTime(TimeOnly.MinValue), To = to.ToDateTime(TimeOnly.MinValue), Grain = grain };

    static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
