using Dapper;
using DotMac.Events.Data;
using DotMac.Events.History;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.Apis;

/// <summary>
/// The history of integration events (events:read). Tenant staff see their tenant's; platform staff the tenant they
/// name in X-Tenant-Id, or every tenant's without it:
///   GET /api/v1/history?type=&amp;type=&amp;from=&amp;to=&amp;correlationId=&amp;subjectId=&amp;order=desc|asc&amp;limit=&amp;cursor=
///   GET /api/v1/history/{id}
///   GET /api/v1/history/export?from=&amp;to=&amp;type=...    NDJSON, oldest first, streamed
///   GET /api/v1/history/types                            every event type there is, with its contract
///   GET /api/v1/history/retention                        the tenant's days of history
///   PUT /api/v1/history/retention {days}                 (events:write, platform staff) 1 to 3650
/// </summary>
internal static class HistoryApi
{
    public const int MaxLimit = 500;

    public sealed record EventTypeResponse(string Type, string Contract);

    public sealed record RetentionResponse(Guid TenantId, int Days, bool IsDefault);

    public sealed record RetentionRequest(int Days);

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/history").WithTags("History");
        api.MapGet("/", ListAsync).WithSummary("Search the event history (types, time range, correlation or subject id; cursor pages)").RequirePermission("events", "read");
        api.MapGet("/export", ExportAsync).WithSummary("Export a time range of the history as NDJSON").RequirePermission("events", "read");
        api.MapGet("/types", Types).WithSummary("Every event type partners can see and subscribe to").RequirePermission("events", "read");
        api.MapGet("/retention", RetentionAsync).WithSummary("How long the tenant's history is kept").RequirePermission("events", "read");
        api.MapPut("/retention", SetRetentionAsync).WithSummary("Set a tenant's retention (platform staff)").RequirePermission("events", "write");
        api.MapGet("/{id:guid}", GetAsync).WithSummary("One recorded event with its payload").RequirePermission("events", "read");
        return app;
    }

    static async Task<Ok<HistoryPage>> ListAsync(HttpContext http, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? correlationId = null, Guid? subjectId = null, string order = "desc", int limit = 50,
        string? cursor = null)
    {
        if (limit is < 1 or > MaxLimit)
            throw new ValidationFailedException("limit", $"Between 1 and {MaxLimit}.");
        if (order is not ("desc" or "asc"))
            throw new ValidationFailedException("order", "desc (newest first) or asc (oldest first).");
        var after = HistoryCursor.Parse(cursor);
        var filter = Filter(http, caller, from, to, correlationId, subjectId);
        var parameters = new DynamicParameters(filter);
        parameters.AddDynamicParams(new { AfterAt = after?.OccurredAt, AfterId = after?.Id ?? Guid.Empty, Limit = limit });
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(order == "desc" ? HistorySql.ListNewestFirst : HistorySql.ListOldestFirst,
            parameters, cancellationToken: cancellationToken))).ToList();
        var next = rows.Count == limit ? new HistoryCursor(rows[^1].OccurredAt, rows[^1].MessageId).ToString() : null;
        return TypedResults.Ok(new HistoryPage([.. rows.Select(r => r.ToResponse())], next, order));
    }

    static async Task<Ok<HistoryEvent>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HistoryRow>(new CommandDefinition(HistorySql.One, new { Id = id, TenantId = TenantOf(caller) },
            cancellationToken: cancellationToken));
        return TypedResults.Ok(row?.ToResponse() ?? throw new NotFoundException("Event", id));
    }

    /// <summary>Streams the range as NDJSON (one event a line, oldest first) straight from the database cursor: any size, constant memory.</summary>
    static async Task<EmptyHttpResult> ExportAsync(HttpContext http, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? correlationId = null, Guid? subjectId = null)
    {
        if (from is null || to is null)
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["from"] = ["Required with to: the range to export."], ["to"] = ["Required with from."] });
        var filter = Filter(http, caller, from, to, correlationId, subjectId);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<HistoryRow>(HistorySql.Export, filter);
        http.Response.ContentType = "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"events-{from:yyyyMMddTHHmmss}-{to:yyyyMMddTHHmmss}.ndjson\"";
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var newline = "\n"u8.ToArray();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, row.ToResponse(), json, cancellationToken);
            await http.Response.Body.WriteAsync(newline, cancellationToken);
        }
        return TypedResults.Empty;
    }

    static Ok<IReadOnlyList<EventTypeResponse>> Types() =>
        TypedResults.Ok<IReadOnlyList<EventTypeResponse>>([.. EventTypes.All.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new EventTypeResponse(t.Key, t.Value.FullName!))]);

    static async Task<Ok<RetentionResponse>> RetentionAsync(Caller caller, NpgsqlDataSource db, IOptions<EventsOptions> options, CancellationToken cancellationToken)
    {
        var tenant = caller.TenantId;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var days = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(HistorySql.RetentionOf, new { TenantId = tenant }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new RetentionResponse(tenant, days ?? options.Value.History.DefaultRetentionDays, days is null));
    }

    static async Task<Ok<RetentionResponse>> SetRetentionAsync(RetentionRequest request, Caller caller, NpgsqlDataSource db, HistoryPartitions partitions,
        CancellationToken cancellationToken)
    {
        caller.Require("events", "write", PermissionScope.Global);
        if (request.Days is < 1 or > 3650)
            throw new ValidationFailedException("days", "Between 1 and 3650.");
        var tenant = caller.TenantId;
        // Partitions first: an event recorded right after the change must find its month.
        await partitions.EnsureAsync(request.Days, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(HistorySql.SetRetention, new { TenantId = tenant, request.Days }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new RetentionResponse(tenant, request.Days, false));
    }

    /// <summary>The tenant a read is confined to: the caller's, or none for platform staff who named no tenant (every tenant).</summary>
    static Guid? TenantOf(Caller caller) => caller.IsGlobal ? caller.ActingTenantId : caller.TenantId;

    static object Filter(HttpContext http, Caller caller, DateTimeOffset? from, DateTimeOffset? to, Guid? correlationId, Guid? subjectId)
    {
        var types = http.Request.Query["type"].SelectMany(t => (t ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var unknown = types.Where(t => !EventTypes.All.ContainsKey(t)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("type", $"Unknown event type {string.Join(", ", unknown)}: GET /api/v1/history/types lists them.");
        if (from is not null && to is not null && from >= to)
            throw new ValidationFailedException("to", "Must be after from.");
        return new
        {
            TenantId = TenantOf(caller),
            Types = types.Length == 0 ? null : types,
            From = from?.UtcDateTime,
            To = to?.UtcDateTime,
            CorrelationId = correlationId,
            SubjectId = subjectId,
        };
    }
}
