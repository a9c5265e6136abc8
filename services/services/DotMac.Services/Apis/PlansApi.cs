using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.Services.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Services.Apis;

/// <summary>
/// The plan catalog of the caller's tenant:
/// POST /api/v1/plans                        create (active, version 1)
/// GET  /api/v1/plans?status=&amp;limit=&amp;offset=  list with current terms
/// GET  /api/v1/plans/{id}                   one plan, current terms
/// PUT  /api/v1/plans/{id}/terms             new terms: the next version (orders keep theirs)
/// GET  /api/v1/plans/{id}/versions          every version
/// GET  /api/v1/plans/{id}/versions/{v}      one version
/// POST /api/v1/plans/{id}/retire            no new orders; existing services keep it
/// Reading needs services:read, changing services:write.
/// </summary>
internal static class PlansApi
{
    const string Resource = "services";

    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/v1/plans").WithTags("Plans");
        plans.MapPost("/", CreateAsync).WithSummary("Create a plan (speeds, price, billing period, fair use)").RequirePermission(Resource, "write")
            .WithRequestExample(new CreatePlanRequest("fibre-300", "Fibre 300", new PlanTerms(300, 100, 39.90m, "EUR", BurstDownloadMbps: 500, BurstSeconds: 30)));
        plans.MapGet("/", ListAsync).WithSummary("List plans").RequirePermission(Resource, "read");
        plans.MapGet("/{id:guid}", GetAsync).WithSummary("One plan with its current terms").RequirePermission(Resource, "read");
        plans.MapPut("/{id:guid}/terms", ReviseAsync).WithSummary("Revise a plan's terms (a new version; services keep theirs)").RequirePermission(Resource, "write");
        plans.MapGet("/{id:guid}/versions", VersionsAsync).WithSummary("Every version of a plan's terms").RequirePermission(Resource, "read");
        plans.MapGet("/{id:guid}/versions/{version:int}", VersionAsync).WithSummary("One version of a plan's terms").RequirePermission(Resource, "read");
        plans.MapPost("/{id:guid}/retire", RetireAsync).WithSummary("Retire a plan (no new orders; existing services stay)").RequirePermission(Resource, "write");
        return app;
    }

    static async Task<Created<PlanResponse>> CreateAsync(CreatePlanRequest request, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken)
    {
        var row = await catalog.CreateAsync(caller.TenantId, request, cancellationToken);
        return TypedResults.Created($"/api/v1/plans/{row.Id}", row.ToResponse());
    }

    static async Task<Ok<Page<PlanResponse>>> ListAsync(Caller caller, PlanCatalog catalog, CancellationToken cancellationToken,
        string? status = null, int limit = 50, int offset = 0)
    {
        var (rows, total) = await catalog.ListAsync(caller.TenantId, status, limit, offset, cancellationToken);
        return TypedResults.Ok(new Page<PlanResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<PlanResponse>> GetAsync(Guid id, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAsync(caller.TenantId, id, cancellationToken) ?? throw new NotFoundException("Plan", id)).ToResponse());

    static async Task<Ok<PlanResponse>> ReviseAsync(Guid id, PlanTerms terms, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.ReviseAsync(caller.TenantId, id, terms, cancellationToken)).ToResponse());

    static async Task<Ok<IReadOnlyList<PlanVersionResponse>>> VersionsAsync(Guid id, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken)
    {
        var rows = await catalog.VersionsAsync(caller.TenantId, id, cancellationToken);
        return rows.Count == 0 ? throw new NotFoundException("Plan", id) : TypedResults.Ok<IReadOnlyList<PlanVersionResponse>>([.. rows.Select(r => r.ToVersionResponse())]);
    }

    static async Task<Ok<PlanVersionResponse>> VersionAsync(Guid id, int version, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetVersionAsync(caller.TenantId, id, version, cancellationToken)
            ?? throw new NotFoundException("PlanVersion", $"{id}/{version}")).ToVersionResponse());

    static async Task<Ok<PlanResponse>> RetireAsync(Guid id, Caller caller, PlanCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.RetireAsync(caller.TenantId, id, cancellationToken)).ToResponse());
}
