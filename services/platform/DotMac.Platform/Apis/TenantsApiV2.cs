using DotMac.Platform.Features;
using DotMac.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Platform.Apis;

/// <summary>
/// Version 2 of reading a tenant, beside v1 (docs/api-versioning.md): billing settings grouped, and the times a client
/// needs for caching. v1 keeps its shape.
///   GET /api/v2/tenants/{id}
/// </summary>
public static class TenantsApiV2
{
    public sealed record Billing(string Currency, int BillingDay, IReadOnlyList<TaxRate> TaxRates, DunningPolicy Dunning);
    public sealed record TenantV2(Guid Id, string Slug, string Name, string Plan, string Status, string TimeZone, Billing Billing,
        int SettingsVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public static void MapTenantsApiV2(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/api/v2/tenants").WithTags("tenants");
        v2.MapGet("/{id:guid}", Get).WithSummary("One tenant, in the v2 shape").RequirePermission("tenants", "read");
    }

    static async Task<Ok<TenantV2>> Get(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var row = await TenantsApi.FindVisibleAsync(id, caller, db, cancellationToken);
        var s = TenantsApi.ToTenant(row).Settings;
        return TypedResults.Ok(new TenantV2(row.Id, row.Slug, row.Name, row.Plan, row.Status, s.TimeZone,
            new Billing(s.Currency, s.BillingDay, s.TaxRates, s.Dunning), row.SettingsVersion,
            new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc))));
    }
}
