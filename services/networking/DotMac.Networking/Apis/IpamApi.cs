using Dapper;
using DotMac.Networking.Ipam;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace DotMac.Networking.Apis;

/// <summary>
/// IP address management of the caller's tenant:
/// POST   /api/v1/ip-prefixes                                  a prefix (IPv4 or IPv6) of a site; prefixes never overlap
/// GET    /api/v1/ip-prefixes?site=&amp;limit=&amp;offset=
/// GET    /api/v1/ip-prefixes/{id}
/// DELETE /api/v1/ip-prefixes/{id}                             409 while it has pools
/// POST   /api/v1/ip-pools                                     a pool inside a prefix (gateway reserved at once)
/// GET    /api/v1/ip-pools?site=&amp;prefixId=&amp;limit=&amp;offset=       with utilization
/// GET    /api/v1/ip-pools/{id}                                with utilization
/// DELETE /api/v1/ip-pools/{id}                                409 while it hands out anything
/// POST   /api/v1/ip-pools/{id}/allocations                    the next free block; Idempotency-Key or reference
///                                                             makes a repeat return the same block (200, not 201)
/// POST   /api/v1/ip-pools/{id}/reservations                   one given block set aside
/// GET    /api/v1/ip-pools/{id}/allocations?limit=&amp;offset=     allocations and reservations, by address
/// DELETE /api/v1/ip-pools/{id}/allocations/{allocationId}     release
/// Reading needs network:read, changing network:write.
/// </summary>
internal static class IpamApi
{
    const string Resource = "network";

    public static IEndpointRouteBuilder MapIpamApi(this IEndpointRouteBuilder app)
    {
        var prefixes = app.MapGroup("/api/v1/ip-prefixes").WithTags("IPAM");
        prefixes.MapPost("/", CreatePrefixAsync).WithSummary("Add an IP prefix (IPv4 or IPv6) to manage").RequirePermission(Resource, "write")
            .WithRequestExample(new CreatePrefixRequest("100.64.0.0/16", "north-pop", "CGNAT for residential PPPoE"));
        prefixes.MapGet("/", ListPrefixesAsync).WithSummary("List IP prefixes with their utilisation").RequirePermission(Resource, "read");
        prefixes.MapGet("/{id:guid}", GetPrefixAsync).WithSummary("One IP prefix").RequirePermission(Resource, "read");
        prefixes.MapDelete("/{id:guid}", DeletePrefixAsync).WithSummary("Remove an IP prefix with no pools").RequirePermission(Resource, "write");

        var pools = app.MapGroup("/api/v1/ip-pools").WithTags("IPAM");
        pools.MapPost("/", CreatePoolAsync).WithSummary("Create an address pool inside a prefix").RequirePermission(Resource, "write");
        pools.MapGet("/", ListPoolsAsync).WithSummary("List address pools with their utilisation").RequirePermission(Resource, "read");
        pools.MapGet("/{id:guid}", GetPoolAsync).WithSummary("One address pool").RequirePermission(Resource, "read");
        pools.MapDelete("/{id:guid}", DeletePoolAsync).WithSummary("Remove an address pool with no allocations").RequirePermission(Resource, "write");
        pools.MapPost("/{id:guid}/allocations", AllocateAsync).WithSummary("Allocate the next free address (or delegated prefix) to a holder").RequirePermission(Resource, "write");
        pools.MapPost("/{id:guid}/reservations", ReserveAsync).WithSummary("Reserve an address or range so it is never allocated").RequirePermission(Resource, "write");
        pools.MapGet("/{id:guid}/allocations", ListAllocationsAsync).WithSummary("A pool's allocations").RequirePermission(Resource, "read");
        pools.MapDelete("/{id:guid}/allocations/{allocationId:guid}", ReleaseAsync).WithSummary("Release an allocation").RequirePermission(Resource, "write");
        return app;
    }

    static async Task<Created<PrefixResponse>> CreatePrefixAsync(CreatePrefixRequest request, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        var row = await ipam.CreatePrefixAsync(tenant.TenantId, request, cancellationToken);
        return TypedResults.Created($"/api/v1/ip-prefixes/{row.Id}", PrefixResponse.From(row));
    }

    static async Task<Ok<Page<PrefixResponse>>> ListPrefixesAsync(ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? site = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { tenant.TenantId, Site = site, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<PrefixRow>(new CommandDefinition(IpamSql.ListPrefixes, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(IpamSql.CountPrefixes, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<PrefixResponse>([.. rows.Select(PrefixResponse.From)], total, limit, offset));
    }

    static async Task<Ok<PrefixResponse>> GetPrefixAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PrefixRow>(new CommandDefinition(IpamSql.GetPrefix, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("IpPrefix", id);
        return TypedResults.Ok(PrefixResponse.From(row));
    }

    static async Task<NoContent> DeletePrefixAsync(Guid id, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        await ipam.DeletePrefixAsync(tenant.TenantId, id, cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<Created<PoolResponse>> CreatePoolAsync(CreatePoolRequest request, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        var row = await ipam.CreatePoolAsync(tenant.TenantId, request, cancellationToken);
        return TypedResults.Created($"/api/v1/ip-pools/{row.Id}", IpamStore.Describe(row));
    }

    static async Task<Ok<Page<PoolResponse>>> ListPoolsAsync(ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? site = null, Guid? prefixId = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { tenant.TenantId, Site = site, PrefixId = prefixId, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<PoolRow>(new CommandDefinition(IpamSql.ListPools, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(IpamSql.CountPools, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<PoolResponse>([.. rows.Select(IpamStore.Describe)], total, limit, offset));
    }

    static async Task<Ok<PoolResponse>> GetPoolAsync(Guid id, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        var row = await ipam.GetPoolAsync(tenant.TenantId, id, cancellationToken) ?? throw new NotFoundException("IpPool", id);
        return TypedResults.Ok(IpamStore.Describe(row));
    }

    static async Task<NoContent> DeletePoolAsync(Guid id, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        await ipam.DeletePoolAsync(tenant.TenantId, id, cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<Results<Created<AllocationResponse>, Ok<AllocationResponse>>> AllocateAsync(Guid id, ITenantContext tenant, IpamStore ipam,
        CancellationToken cancellationToken, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null, AllocateRequest? request = null)
    {
        var reference = request?.Reference ?? (string.IsNullOrWhiteSpace(idempotencyKey) ? null : "idempotency-key:" + idempotencyKey.Trim());
        var (row, created) = await ipam.AllocateAsync(tenant.TenantId, id, reference, request?.Description, cancellationToken);
        var response = AllocationResponse.From(row);
        return created ? TypedResults.Created($"/api/v1/ip-pools/{id}/allocations/{row.Id}", response) : TypedResults.Ok(response);
    }

    static async Task<Created<AllocationResponse>> ReserveAsync(Guid id, ReserveRequest request, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        var row = await ipam.ReserveAsync(tenant.TenantId, id, request, cancellationToken);
        return TypedResults.Created($"/api/v1/ip-pools/{id}/allocations/{row.Id}", AllocationResponse.From(row));
    }

    static async Task<Ok<Page<AllocationResponse>>> ListAllocationsAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db,
        CancellationToken cancellationToken, int limit = 100, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var pool = await connection.QuerySingleOrDefaultAsync<PoolRow>(new CommandDefinition(IpamSql.GetPool, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("IpPool", id);
        var rows = await connection.QueryAsync<AllocationRow>(new CommandDefinition(IpamSql.ListAllocations,
            new { tenant.TenantId, PoolId = id, Limit = limit, Offset = offset }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<AllocationResponse>([.. rows.Select(AllocationResponse.From)], pool.Allocated + pool.Reserved, limit, offset));
    }

    static async Task<NoContent> ReleaseAsync(Guid id, Guid allocationId, ITenantContext tenant, IpamStore ipam, CancellationToken cancellationToken)
    {
        await ipam.ReleaseAsync(tenant.TenantId, id, allocationId, cancellationToken);
        return TypedResults.NoContent();
    }

}
