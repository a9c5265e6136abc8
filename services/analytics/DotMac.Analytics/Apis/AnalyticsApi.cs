using Dapper;
using DotMac.Analytics.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Analytics.Apis;

/// <summary>
/// The ISP's numbers, per tenant, in the tenant's local days (its time zone from platform's events), from analytics'
/// own read models. Permission analytics:read at tenant scope (a customer's token is 403).
///   GET /api/v1/summary?date=                               subscribers and provisioning of one day
///   GET /api/v1/series/subscribers?from=&amp;to=&amp;grain=         active/suspended/terminated at each period's end, activations and churn in it
///   GET /api/v1/series/provisioning?from=&amp;to=&amp;grain=        orders submitted/activated/failed, order-to-active p50/p95
/// </summary>
public static class AnalyticsApi
{
    public sealed record SubscriberPoint(DateOnly Period, long Active, long Suspended, long Terminated, long Activated, long Churned);
    public sealed record ProvisioningPoint(DateOnly Period, long Submitted, long Activated, long Failed, double? LeadTimeP50Seconds, double? LeadTimeP95Seconds);
    public sealed record FailureReason(string Reason, long Orders);
    public sealed record Series<T>(Guid TenantId, string TimeZone, string Grain, DateOnly From, DateOnly To, IReadOnlyList<T> Points);
    public sealed record Summary(Guid TenantId, DateOnly Date, string TimeZone, string? Currency, SubscriberPoint Subscribers,
        ProvisioningPoint Provisioning, IReadOnlyList<FailureReason> FailureReasons);

    static readonly string[] Grains = ["day", "week", "month"];
    const int MaxDays = 3660;

    public static void MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/summary", SummaryAsync).WithTags("Analytics").RequirePermission("analytics", "read")
            .WithSummary("The day's figures: subscribers by state, activations and churn, orders and their lead time");
        app.MapGet("/api/v1/series/subscribers", SubscribersAsync).WithTags("Analytics").RequirePermission("analytics", "read")
            .WithSummary("Subscribers over a range: by state at each period's end, activations and churn within it");
        app.MapGet("/api/v1/series/provisioning", ProvisioningAsync).WithTags("Analytics").RequirePermission("analytics", "read")
            .WithSummary("Service orders over a range: submitted, activated, failed, order-to-active p50 and p95");
    }

    static async Task<Ok<Summary>> SummaryAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, DateOnly? date = null)
    {
        var tenant = TenantOf(caller);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await SettingsAsync(connection, tenant, cancellationToken);
        var day = date ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone(settings.TimeZone)).DateTime);
        var parameters = Parameters(tenant, day, day, "day");
        var subscribers = (await connection.QueryAsync<SubscriberRow>(new CommandDefinition(AnalyticsSql.Subscribers, parameters, cancellationToken: cancellationToken))).Single().ToPoint();
        var provisioning = (await connection.QueryAsync<ProvisioningRow>(new CommandDefinition(AnalyticsSql.Provisioning, parameters, cancellationToken: cancellationToken))).Single().ToPoint();
        var reasons = (await connection.QueryAsync<ReasonRow>(new CommandDefinition(AnalyticsSql.FailureReasons, parameters, cancellationToken: cancellationToken)))
            .Select(r => new FailureReason(r.Reason ?? "", r.Orders));
        return TypedResults.Ok(new Summary(tenant, day, settings.TimeZone, settings.Currency, subscribers, provisioning, [.. reasons]));
    }

    static Task<Ok<Series<SubscriberPoint>>> SubscribersAsync(Caller caller, NpgsqlDataSource db, DateOnly from, DateOnly to, CancellationToken cancellationToken,
        string grain = "day") => SeriesAsync<SubscriberRow, SubscriberPoint>(caller, db, AnalyticsSql.Subscribers, from, to, grain, r => r.ToPoint(), cancellationToken);

    static Task<Ok<Series<ProvisioningPoint>>> ProvisioningAsync(Caller caller, NpgsqlDataSource db, DateOnly from, DateOnly to, CancellationToken cancellationToken,
        string grain = "day") => SeriesAsync<ProvisioningRow, ProvisioningPoint>(caller, db, AnalyticsSql.Provisioning, from, to, grain, r => r.ToPoint(), cancellationToken);

    static async Task<Ok<Series<T>>> SeriesAsync<TRow, T>(Caller caller, NpgsqlDataSource db, string sql, DateOnly from, DateOnly to, string grain,
        Func<TRow, T> point, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        var errors = new Dictionary<string, string[]>();
        if (!Grains.Contains(grain))
            errors["grain"] = ["day, week or month"];
        if (to < from)
            errors["to"] = ["on or after from"];
        else if (to.DayNumber - from.DayNumber > MaxDays)
            errors["to"] = [$"at most {MaxDays} days after from"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await SettingsAsync(connection, tenant, cancellationToken);
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(sql, Parameters(tenant, from, to, grain), cancellationToken: cancellationToken));
        return TypedResults.Ok(new Series<T>(tenant, settings.TimeZone, grain, from, to, [.. rows.Select(point)]));
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
