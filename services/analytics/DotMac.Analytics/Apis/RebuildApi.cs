using System.Net.Http.Headers;
using DotMac.Analytics.Rebuild;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Analytics.Apis;

/// <summary>
/// Rebuilding a tenant's read models from the events service's history (analytics:write at tenant scope; the caller's
/// token must also read the history, events:read):
///   POST /api/v1/rebuilds         202, runs in the background; 409 while another runs
///   GET  /api/v1/rebuilds         the tenant's latest 50
///   GET  /api/v1/rebuilds/{id}    status, events read and applied, rows kept from live, error
/// </summary>
public static class RebuildApi
{
    public sealed record RebuildResponse(Guid Id, Guid TenantId, string Status, string RequestedBy, long EventsRead, long EventsApplied, long? RowsFromLive,
        string? Error, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

    public static void MapRebuildApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rebuilds").WithTags("Rebuilds");
        api.MapPost("/", StartAsync).RequirePermission("analytics", "write")
            .WithSummary("Rebuild the tenant's analytics from the event history, swapped in atomically while live events flow (202)");
        api.MapGet("/", ListAsync).RequirePermission("analytics", "read").WithSummary("The tenant's latest rebuilds");
        api.MapGet("/{id:guid}", GetAsync).RequirePermission("analytics", "read").WithSummary("One rebuild: how far it got and how it ended");
    }

    static async Task<Accepted<RebuildResponse>> StartAsync(HttpContext http, Caller caller, HistoryRebuilds rebuilds, CancellationToken cancellationToken)
    {
        caller.Require("analytics", "write", PermissionScope.Tenant);
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var authorization))
            throw new BadRequestException("The history is read with the caller's bearer token, and there is none.", "rebuild.no_token");
        var acting = caller.IsGlobal ? caller.TenantId.ToString() : null;
        var row = await rebuilds.StartAsync(caller.TenantId, caller.Subject, authorization, acting, cancellationToken);
        return TypedResults.Accepted($"/api/v1/rebuilds/{row.Id}", Response(row));
    }

    static async Task<Ok<IReadOnlyList<RebuildResponse>>> ListAsync(Caller caller, HistoryRebuilds rebuilds, CancellationToken cancellationToken)
    {
        caller.Require("analytics", "read", PermissionScope.Tenant);
        return TypedResults.Ok<IReadOnlyList<RebuildResponse>>([.. (await rebuilds.ListAsync(caller.TenantId, cancellationToken)).Select(Response)]);
    }

    static async Task<Ok<RebuildResponse>> GetAsync(Guid id, Caller caller, HistoryRebuilds rebuilds, CancellationToken cancellationToken)
    {
        caller.Require("analytics", "read", PermissionScope.Tenant);
        return TypedResults.Ok(Response(await rebuilds.GetAsync(caller.TenantId, id, cancellationToken) ?? throw new NotFoundException("Rebuild", id)));
    }

    static RebuildResponse Response(HistoryRebuilds.RebuildRow r) => new(r.Id, r.TenantId, r.Status, r.RequestedBy, r.EventsRead, r.EventsApplied, r.RowsFromLive,
        r.Error, new DateTimeOffset(DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc)),
        r.FinishedAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null);
}
