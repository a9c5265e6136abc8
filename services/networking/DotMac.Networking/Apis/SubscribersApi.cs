using Dapper;
using DotMac.Networking.Subscribers;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Networking.Apis;

/// <summary>
/// Subscribers' network access (written by provisioning), for the caller's tenant:
/// GET /api/v1/subscribers?username=&amp;limit=&amp;offset=     profiles with their RADIUS replies
/// GET /api/v1/subscribers/{id}                          one (id: the service order that provisioned it)
/// GET /api/v1/subscribers/{id}/credentials              PPPoE/IPoE username and password (network:write)
/// GET /api/v1/subscriber-policy                         what suspended subscribers get
/// PUT /api/v1/subscriber-policy                         reject, or walled_garden with its rate and address list
/// </summary>
internal static class SubscribersApi
{
    const string Resource = "network";

    public static IEndpointRouteBuilder MapSubscribersApi(this IEndpointRouteBuilder app)
    {
        var subscribers = app.MapGroup("/api/v1/subscribers").WithTags("Subscribers");
        subscribers.MapGet("/", ListAsync).WithSummary("List RADIUS subscribers (PPPoE/IPoE)").RequirePermission(Resource, "read");
        subscribers.MapGet("/{id:guid}", GetAsync).WithSummary("One subscriber, its address, rate limits and access").RequirePermission(Resource, "read");
        subscribers.MapGet("/{id:guid}/credentials", CredentialsAsync).WithSummary("A subscriber's PPPoE credentials (to configure the CPE)").RequirePermission(Resource, "write");
        app.MapGet("/api/v1/subscriber-policy", GetPolicyAsync).WithSummary("The tenant's policy for suspended subscribers (reject or walled garden)").WithTags("Subscribers").RequirePermission(Resource, "read");
        app.MapPut("/api/v1/subscriber-policy", SetPolicyAsync).WithSummary("Set the policy for suspended subscribers").WithTags("Subscribers").RequirePermission(Resource, "write");
        return app;
    }

    static async Task<Ok<Page<SubscriberResponse>>> ListAsync(ITenantContext tenant, NpgsqlDataSource db, SubscriberProfiles profiles, CancellationToken cancellationToken,
        string? username = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { tenant.TenantId, Username = username, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<SubscriberRow>(new CommandDefinition(SubscriberSql.List, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubscriberSql.Count, parameters, cancellationToken: cancellationToken));
        var policy = await profiles.PolicyAsync(tenant.TenantId, cancellationToken);
        return TypedResults.Ok(new Page<SubscriberResponse>([.. rows.Select(r => Describe(r, policy))], total, limit, offset));
    }

    static async Task<Ok<SubscriberResponse>> GetAsync(Guid id, ITenantContext tenant, SubscriberProfiles profiles, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var row = await FindAsync(id, tenant, db, cancellationToken);
        return TypedResults.Ok(Describe(row, await profiles.PolicyAsync(tenant.TenantId, cancellationToken)));
    }

    static async Task<Ok<SubscriberCredentials>> CredentialsAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var row = await FindAsync(id, tenant, db, cancellationToken);
        return TypedResults.Ok(new SubscriberCredentials(row.Username, row.Password));
    }

    static async Task<Ok<SubscriberPolicy>> GetPolicyAsync(ITenantContext tenant, SubscriberProfiles profiles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await profiles.PolicyAsync(tenant.TenantId, cancellationToken));

    static async Task<Ok<SubscriberPolicy>> SetPolicyAsync(SubscriberPolicy policy, ITenantContext tenant, SubscriberProfiles profiles, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (policy.SuspendedAction is not ("reject" or "walled_garden"))
            errors["suspendedAction"] = ["reject or walled_garden."];
        if (string.IsNullOrWhiteSpace(policy.WalledGardenRate) || policy.WalledGardenRate.Length > 100 || !policy.WalledGardenRate.Contains('/'))
            errors["walledGardenRate"] = ["A MikroTik rate such as 256k/256k."];
        if (string.IsNullOrWhiteSpace(policy.WalledGardenList) || policy.WalledGardenList.Length > 100)
            errors["walledGardenList"] = ["The router's address-list name, 1 to 100 characters."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        await profiles.SetPolicyAsync(tenant.TenantId, policy, cancellationToken);
        return TypedResults.Ok(policy);
    }

    static async Task<SubscriberRow> FindAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriberRow>(new CommandDefinition(SubscriberSql.Get, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Subscriber", id);
    }

    static SubscriberResponse Describe(SubscriberRow row, SubscriberPolicy policy) =>
        new(row.Id, row.ServiceId, row.Username, row.Address,
            RadiusProfile.RateLimit(row.DownloadKbps, row.UploadKbps, row.BurstDownloadKbps, row.BurstUploadKbps, row.BurstSeconds), row.Suspended,
            SubscriberProfiles.RowsOf(row, policy).Replies, new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
            new DateTimeOffset(DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc)));
}
