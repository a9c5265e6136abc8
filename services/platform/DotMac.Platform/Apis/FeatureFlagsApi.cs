using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using DotMac.Contracts.Platform;
using DotMac.Platform.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.FeatureFlags;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Platform.Apis;

/// <summary>
/// Feature flags (docs/feature-flags.md). Platform staff (global scope) manage them; a tenant's staff read what is on for
/// their tenant. Every change publishes FeatureFlagChanged with the flag's whole definition, through the outbox.
///   GET    /api/v1/feature-flags                              page of flags with their overrides (platform staff)
///   POST   /api/v1/feature-flags
///   GET    /api/v1/feature-flags/effective                    the caller's tenant's flags, each on or off and why
///   GET    /api/v1/feature-flags/{key}
///   PUT    /api/v1/feature-flags/{key}                        description, default, rollout
///   DELETE /api/v1/feature-flags/{key}
///   PUT    /api/v1/feature-flags/{key}/tenants/{tenantId}     a tenant's override
///   DELETE /api/v1/feature-flags/{key}/tenants/{tenantId}
///   GET    /internal/v1/feature-flags                         every flag, for the services' caches (not routed by the gateway)
/// </summary>
public static partial class FeatureFlagsApi
{
    public sealed record FeatureFlag(string Key, string Description, bool DefaultEnabled, int? RolloutPercent, int Version,
        IReadOnlyList<FeatureFlagOverride> Overrides, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
    public sealed record CreateFeatureFlag(string Key, string Description, bool DefaultEnabled, int? RolloutPercent = null);
    public sealed record UpdateFeatureFlag(string Description, bool DefaultEnabled, int? RolloutPercent = null);
    public sealed record SetOverride(bool Enabled);
    public sealed record EffectiveFlag(string Key, bool Enabled, string Reason);
    public sealed record EffectiveFlags(Guid TenantId, IReadOnlyList<EffectiveFlag> Flags);

    const string Resource = "feature_flags";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapFeatureFlagsApi(this IEndpointRouteBuilder app)
    {
        var flags = app.MapGroup("/api/v1/feature-flags").WithTags("Feature flags");
        flags.MapGet("/", ListAsync).WithSummary("List feature flags with their overrides (platform staff)").RequirePermission(Resource, "read");
        flags.MapPost("/", CreateAsync).WithSummary("Create a feature flag (platform staff)").RequirePermission(Resource, "write")
            .WithRequestExample(new CreateFeatureFlag("usage-portal", "The customer portal's usage page", false, 20));
        flags.MapGet("/effective", EffectiveAsync).WithSummary("What is on for the caller's tenant, and why").RequirePermission(Resource, "read");
        flags.MapGet("/{key}", GetAsync).WithSummary("One feature flag (platform staff)").RequirePermission(Resource, "read");
        flags.MapPut("/{key}", UpdateAsync).WithSummary("Change a flag's description, default or rollout (platform staff)").RequirePermission(Resource, "write")
            .WithRequestExample(new UpdateFeatureFlag("The customer portal's usage page", false, 50));
        flags.MapDelete("/{key}", DeleteAsync).WithSummary("Delete a feature flag (platform staff)").RequirePermission(Resource, "write");
        flags.MapPut("/{key}/tenants/{tenantId:guid}", SetOverrideAsync).WithSummary("Turn a flag on or off for one tenant (platform staff)").RequirePermission(Resource, "write")
            .WithRequestExample(new SetOverride(false));
        flags.MapDelete("/{key}/tenants/{tenantId:guid}", RemoveOverrideAsync).WithSummary("Remove a tenant's override (platform staff)").RequirePermission(Resource, "write");
        app.MapGet("/internal/v1/feature-flags", SnapshotAsync).AllowAnonymous().ExcludeFromDescription();
    }

    static async Task<Ok<Page<FeatureFlag>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, int limit = 100, int offset = 0)
    {
        caller.Require(Resource, "read", PermissionScope.Global);
        OffsetPaging.Validate(limit, offset);
        var all = await AllAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<FeatureFlag>([.. all.Skip(offset).Take(limit).Select(ToFlag)], all.Count, limit, offset));
    }

    static async Task<Ok<FeatureFlag>> GetAsync(string key, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        caller.Require(Resource, "read", PermissionScope.Global);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(ToFlag(await FindAsync(connection, key, cancellationToken)));
    }

    /// <summary>What is on for the caller's tenant (platform staff name one with X-Tenant-Id).</summary>
    static async Task<Ok<EffectiveFlags>> EffectiveAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var tenant = caller.ActingTenantId ?? caller.HomeTenantId
            ?? throw new ValidationFailedException("X-Tenant-Id", "Platform staff name the tenant whose flags they want.");
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(FeatureFlagsSql.TenantExists, new { TenantId = tenant }, cancellationToken: cancellationToken)))
                throw new NotFoundException("Tenant", tenant);
        var all = await AllAsync(db, cancellationToken);
        var flags = all.Select(ToDefinition).Select(f => (f.Key, Decision: FeatureFlagRules.Evaluate(f, tenant)))
            .Select(f => new EffectiveFlag(f.Key, f.Decision.Enabled, f.Decision.Reason)).ToList();
        return TypedResults.Ok(new EffectiveFlags(tenant, flags));
    }

    static async Task<Created<FeatureFlag>> CreateAsync(CreateFeatureFlag body, Caller caller, DbSession session, PlatformEvents events,
        TimeProvider time, CancellationToken cancellationToken)
    {
        caller.Require(Resource, "write", PermissionScope.Global);
        var errors = Validate(body.Description, body.RolloutPercent);
        if (!KeyFormat().IsMatch(body.Key))
            errors["key"] = ["2 to 63 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter"];
        else if (body.Key == "effective")
            errors["key"] = ["'effective' names the tenant's view (GET /feature-flags/effective), not a flag"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        await session.BeginAsync(cancellationToken);
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.Insert,
            new { body.Key, Description = body.Description.Trim(), body.DefaultEnabled, body.RolloutPercent }, cancellationToken: cancellationToken));
        if (inserted == 0)
            throw new ConflictException($"A feature flag '{body.Key}' exists.", "feature_flag.exists");
        var flag = await PublishAsync(session, events, body.Key, null, time, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/feature-flags/{body.Key}", flag);
    }

    static async Task<Ok<FeatureFlag>> UpdateAsync(string key, UpdateFeatureFlag body, Caller caller, DbSession session, PlatformEvents events,
        TimeProvider time, CancellationToken cancellationToken)
    {
        caller.Require(Resource, "write", PermissionScope.Global);
        var errors = Validate(body.Description, body.RolloutPercent);
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        await session.BeginAsync(cancellationToken);
        await LockAsync(session, key, cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.Update,
            new { Key = key, Description = body.Description.Trim(), body.DefaultEnabled, body.RolloutPercent }, cancellationToken: cancellationToken));
        var flag = await PublishAsync(session, events, key, null, time, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(flag);
    }

    static async Task<NoContent> DeleteAsync(string key, Caller caller, DbSession session, PlatformEvents events, TimeProvider time,
        CancellationToken cancellationToken)
    {
        caller.Require(Resource, "write", PermissionScope.Global);
        await session.BeginAsync(cancellationToken);
        await LockAsync(session, key, cancellationToken);
        var row = await FindAsync(session.Connection, key, cancellationToken);
        var version = await session.Connection.ExecuteScalarAsync<int>(new CommandDefinition(FeatureFlagsSql.Delete, new { Key = key }, cancellationToken: cancellationToken));
        await events.FeatureFlagChangedAsync(new FeatureFlagChanged(key, version, true, row.Description, row.DefaultEnabled, row.RolloutPercent, [], null, time.GetUtcNow()),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<Ok<FeatureFlag>> SetOverrideAsync(string key, Guid tenantId, SetOverride body, Caller caller, DbSession session,
        PlatformEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        caller.Require(Resource, "write", PermissionScope.Global);
        await session.BeginAsync(cancellationToken);
        await LockAsync(session, key, cancellationToken);
        if (!await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(FeatureFlagsSql.TenantExists, new { TenantId = tenantId }, cancellationToken: cancellationToken)))
            throw new NotFoundException("Tenant", tenantId);
        await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.SetOverride, new { Key = key, TenantId = tenantId, body.Enabled }, cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.Touch, new { Key = key }, cancellationToken: cancellationToken));
        var flag = await PublishAsync(session, events, key, tenantId, time, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(flag);
    }

    static async Task<NoContent> RemoveOverrideAsync(string key, Guid tenantId, Caller caller, DbSession session, PlatformEvents events,
        TimeProvider time, CancellationToken cancellationToken)
    {
        caller.Require(Resource, "write", PermissionScope.Global);
        await session.BeginAsync(cancellationToken);
        await LockAsync(session, key, cancellationToken);
        if (await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.RemoveOverride, new { Key = key, TenantId = tenantId }, cancellationToken: cancellationToken)) == 0)
            throw new NotFoundException("Override", $"{key}/{tenantId}");
        await session.Connection.ExecuteAsync(new CommandDefinition(FeatureFlagsSql.Touch, new { Key = key }, cancellationToken: cancellationToken));
        await PublishAsync(session, events, key, tenantId, time, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Every flag as the services' caches load it: the same shape as the event.</summary>
    static async Task<Ok<List<FeatureFlagChanged>>> SnapshotAsync(NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok((await AllAsync(db, cancellationToken)).Select(row => Changed(row, null, time)).ToList());

    static async Task<FeatureFlag> PublishAsync(DbSession session, PlatformEvents events, string key, Guid? tenantId, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var row = await FindAsync(session.Connection, key, cancellationToken);
        await events.FeatureFlagChangedAsync(Changed(row, tenantId, time), cancellationToken);
        return ToFlag(row);
    }

    static FeatureFlagChanged Changed(FeatureFlagRow row, Guid? tenantId, TimeProvider time) =>
        new(row.Key, row.Version, false, row.Description, row.DefaultEnabled, row.RolloutPercent, Overrides(row), tenantId, time.GetUtcNow());

    static async Task LockAsync(DbSession session, string key, CancellationToken cancellationToken)
    {
        if (await session.Connection.ExecuteScalarAsync<string>(new CommandDefinition(FeatureFlagsSql.Lock, new { Key = key }, cancellationToken: cancellationToken)) is null)
            throw new NotFoundException("Feature flag", key);
    }

    static async Task<FeatureFlagRow> FindAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<FeatureFlagRow>(new CommandDefinition(FeatureFlagsSql.Find, new { Key = key }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Feature flag", key);

    static async Task<List<FeatureFlagRow>> AllAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<FeatureFlagRow>(new CommandDefinition(FeatureFlagsSql.All, cancellationToken: cancellationToken))];
    }

    static Dictionary<string, string[]> Validate(string description, int? rolloutPercent)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(description) || description.Trim().Length > 500)
            errors["description"] = ["1 to 500 characters"];
        if (rolloutPercent is < 0 or > 100)
            errors["rolloutPercent"] = ["0 to 100, or null for no rollout (the default applies)"];
        return errors;
    }

    static List<FeatureFlagOverride> Overrides(FeatureFlagRow row) => JsonSerializer.Deserialize<List<FeatureFlagOverride>>(row.Overrides, Json) ?? [];

    static FeatureFlagDefinition ToDefinition(FeatureFlagRow row) => new(row.Key, row.Version, row.Description, row.DefaultEnabled, row.RolloutPercent,
        Overrides(row).ToDictionary(o => o.TenantId, o => o.Enabled));

    static FeatureFlag ToFlag(FeatureFlagRow row) => new(row.Key, row.Description, row.DefaultEnabled, row.RolloutPercent, row.Version, Overrides(row),
        Times.Utc(row.CreatedAt), Times.Utc(row.UpdatedAt));

    [GeneratedRegex("^[a-z][a-z0-9_.-]{1,62}$")]
    private static partial Regex KeyFormat();
}
