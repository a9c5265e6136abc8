using Dapper;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.Skeleton.Data;
using DotMac.Skeleton.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Skeleton.Apis;

/// <summary>
/// The tenant's widgets:
///   GET  /api/v1/widgets?limit=&amp;offset=   a page, oldest first
///   POST /api/v1/widgets                    create (Idempotency-Key required)
///   GET  /api/v1/widgets/{id}               one widget
/// Reading needs skeleton:read, creating skeleton:write; every query filters by the caller's tenant, so another
/// tenant's widget is not found rather than forbidden (its existence does not leak).
/// </summary>
internal static class WidgetsApi
{
    const string Resource = "skeleton";

    public static IEndpointRouteBuilder MapWidgetsApi(this IEndpointRouteBuilder app)
    {
        var widgets = app.MapGroup("/api/v1/widgets").WithTags("Widgets");
        widgets.MapGet("/", ListAsync).RequirePermission(Resource, "read")
            .WithSummary("The tenant's widgets, oldest first")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        widgets.MapPost("/", CreateWidget.HandleAsync).RequirePermission(Resource, "write")
            .WithSummary("Create a widget (Idempotency-Key required)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        widgets.MapGet("/{id:guid}", GetAsync).RequirePermission(Resource, "read")
            .WithSummary("One widget of the tenant")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<Ok<Page<Widget>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        var tenantId = caller.TenantId;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<WidgetRow>(new CommandDefinition(WidgetsSql.Page,
            new { TenantId = tenantId, Limit = limit, Offset = offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(WidgetsSql.Count,
            new { TenantId = tenantId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<Widget>([.. rows.Select(Widget.From)], total, limit, offset));
    }

    static async Task<Ok<Widget>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<WidgetRow>(new CommandDefinition(WidgetsSql.Find,
            new { caller.TenantId, Id = id }, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Widget", id);
        return TypedResults.Ok(Widget.From(row));
    }
}
