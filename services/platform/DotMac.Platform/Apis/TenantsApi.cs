using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using DotMac.Platform.Data;
using DotMac.Platform.Features;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Platform.Apis;

/// <summary>
/// Tenants (the ISPs on DotMac). Creating and changing them is for platform staff (global scope); a tenant's own
/// staff may read their tenant and nothing else.
///   GET    /api/v1/tenants                  page (?limit=&amp;after=)
///   POST   /api/v1/tenants
///   GET    /api/v1/tenants/{id}
///   PUT    /api/v1/tenants/{id}/settings
///   PUT    /api/v1/tenants/{id}/plan
///   DELETE /api/v1/tenants/{id}             close
///   GET    /api/v2/tenants/{id}             the v2 shape (see TenantsApiV2)
/// </summary>
public static partial class TenantsApi
{
    public sealed record CreateTenant(string Slug, string Name, string Plan, TenantSettings Settings);
    public sealed record ChangePlan(string Plan);
    public sealed record Tenant(Guid Id, string Slug, string Name, string Plan, string Status, TenantSettings Settings, int SettingsVersion);
    public sealed record TenantPage(IReadOnlyList<Tenant> Items, Guid? Next);

    internal static readonly JsonSerializerOptions Storage = new(JsonSerializerDefaults.Web);

    public static void MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1/tenants").WithTags("tenants");
        v1.MapGet("/", List).WithSummary("List tenants (a tenant's staff see their own)").RequirePermission("tenants", "read");
        v1.MapPost("/", Create).WithSummary("Create a tenant (an ISP) with its settings (platform staff)").RequirePermission("tenants", "write")
            .WithRequestExample(new CreateTenant("northwind-fibre", "Northwind Fibre", "standard", new TenantSettings("EUR", "Europe/Berlin", 1, [new TaxRate("VAT", 19m, false)], new DunningPolicy([3, 7], 14, 60))));
        v1.MapGet("/{id:guid}", Get).WithSummary("One tenant and its settings").RequirePermission("tenants", "read");
        v1.MapPut("/{id:guid}/settings", UpdateSettings).WithSummary("Change a tenant's settings: currency, time zone, billing day, taxes, dunning").RequirePermission("tenants", "write");
        v1.MapPut("/{id:guid}/plan", UpdatePlan).WithSummary("Change a tenant's commercial plan (rate limits follow)").RequirePermission("tenants", "write");
        v1.MapDelete("/{id:guid}", Close).WithSummary("Close a tenant").RequirePermission("tenants", "write");
    }

    static async Task<Ok<TenantPage>> List(Caller caller, NpgsqlDataSource db, int? limit, Guid? after, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > OffsetPaging.MaxLimit)
            throw new ValidationFailedException("limit", $"must be between 1 and {OffsetPaging.MaxLimit}");
        // A tenant's staff see their own tenant only: the filter is in the query, not after it.
        Guid? only = caller.IsGlobal ? null : caller.HomeTenantId ?? Guid.Empty;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<TenantRow>(new CommandDefinition(TenantsSql.Page,
            new { After = after ?? Guid.Empty, OnlyId = only, Limit = size + 1 }, cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(size).Select(ToTenant).ToList();
        return TypedResults.Ok(new TenantPage(items, rows.Count > size ? items[^1].Id : null));
    }

    static async Task<Created<Tenant>> Create(CreateTenant body, Caller caller, NpgsqlDataSource db, DbSession session, PlatformEvents events, CancellationToken cancellationToken)
    {
        caller.Require("tenants", "write", PermissionScope.Global);
        var errors = new Dictionary<string, string[]>();
        if (!SlugFormat().IsMatch(body.Slug))
            errors["slug"] = ["2 to 63 characters: lower-case letters, digits and dashes, starting with a letter or digit"];
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
            errors["name"] = ["must be 1 to 200 characters"];
        if (!SettingsValidator.Plans.Contains(body.Plan))
            errors["plan"] = ["must be starter, standard or enterprise"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        SettingsValidator.Validate(body.Settings);

        var id = Guid.CreateVersion7();
        // The change and its event commit together (outbox); a throw rolls both back.
        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(TenantsSql.Insert, new
        {
            Id = id, body.Slug, Name = body.Name.Trim(), body.Plan, Settings = JsonSerializer.Serialize(body.Settings, Storage),
        }, cancellationToken: cancellationToken));
        if (inserted == 0)
            throw new ConflictException($"A tenant with slug '{body.Slug}' exists.", "tenant.slug_taken");
        var row = await connection.QuerySingleAsync<TenantRow>(new CommandDefinition(TenantsSql.Find, new { Id = id }, cancellationToken: cancellationToken));
        await events.TenantCreatedAsync(row, body.Settings, cancellationToken);
        await events.BillingSettingsAsync(row, body.Settings, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/tenants/{id}", ToTenant(row));
    }

    static async Task<Ok<Tenant>> Get(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToTenant(await FindVisibleAsync(id, caller, db, cancellationToken)));

    static async Task<Ok<Tenant>> UpdateSettings(Guid id, TenantSettings body, Caller caller, NpgsqlDataSource db, DbSession session, PlatformEvents events, CancellationToken cancellationToken)
    {
        caller.Require("tenants", "write", PermissionScope.Global);
        SettingsValidator.Validate(body, prefix: "");
        var before = ToTenant(await FindVisibleAsync(id, caller, db, cancellationToken)).Settings;
        // The change and its event commit together (outbox); a throw rolls both back.
        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.UpdateSettings,
            new { Id = id, Settings = JsonSerializer.Serialize(body, Storage) }, cancellationToken: cancellationToken))
            ?? throw new ConflictException("A closed tenant's settings cannot change.", "tenant.closed");
        var changed = Changed(before, body);
        await events.TenantChangedAsync(row, changed, cancellationToken);
        // Every setting Changed compares is one billing uses.
        if (changed.Count > 0)
            await events.BillingSettingsAsync(row, body, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToTenant(row));
    }

    static async Task<Ok<Tenant>> UpdatePlan(Guid id, ChangePlan body, Caller caller, NpgsqlDataSource db, DbSession session, PlatformEvents events, CancellationToken cancellationToken)
    {
        caller.Require("tenants", "write", PermissionScope.Global);
        if (!SettingsValidator.Plans.Contains(body.Plan))
            throw new ValidationFailedException("plan", "must be starter, standard or enterprise");
        await FindVisibleAsync(id, caller, db, cancellationToken);
        // The change and its event commit together (outbox); a throw rolls both back.
        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.UpdatePlan, new { Id = id, body.Plan }, cancellationToken: cancellationToken))
            ?? throw new ConflictException("A closed tenant's plan cannot change.", "tenant.closed");
        await events.TenantChangedAsync(row, ["plan"], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToTenant(row));
    }

    static async Task<NoContent> Close(Guid id, Caller caller, NpgsqlDataSource db, DbSession session, PlatformEvents events, CancellationToken cancellationToken)
    {
        caller.Require("tenants", "write", PermissionScope.Global);
        await FindVisibleAsync(id, caller, db, cancellationToken);
        // The change and its event commit together (outbox); a throw rolls both back.
        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.Close, new { Id = id }, cancellationToken: cancellationToken));
        if (row is not null)
            await events.TenantChangedAsync(row, ["status"], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Another tenant's record is "not found" to a tenant's staff, so its existence does not leak.</summary>
    internal static async Task<TenantRow> FindVisibleAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (!caller.IsGlobal && caller.HomeTenantId != id)
            throw new NotFoundException("Tenant", id);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(TenantsSql.Find, new { Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Tenant", id);
    }

    internal static Tenant ToTenant(TenantRow row) => new(row.Id, row.Slug, row.Name, row.Plan, row.Status,
        JsonSerializer.Deserialize<TenantSettings>(row.Settings, Storage)!, row.SettingsVersion);

    static List<string> Changed(TenantSettings before, TenantSettings after)
    {
        var changed = new List<string>();
        if (before.Currency != after.Currency) changed.Add("currency");
        if (before.TimeZone != after.TimeZone) changed.Add("timeZone");
        if (before.BillingDay != after.BillingDay) changed.Add("billingDay");
        if (!before.TaxRates.SequenceEqual(after.TaxRates)) changed.Add("taxRates");
        if (!before.Dunning.ReminderDays.SequenceEqual(after.Dunning.ReminderDays) || before.Dunning.SuspendAfterDays != after.Dunning.SuspendAfterDays
            || before.Dunning.TerminateAfterDays != after.Dunning.TerminateAfterDays) changed.Add("dunning");
        return changed;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex SlugFormat();
}
