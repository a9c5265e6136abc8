using Dapper;
using DotMac.Ops.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Ops.Apis;

/// <summary>
/// What the durable scheduler holds:
///   GET /api/v1/scheduled-messages?limit=&amp;offset=   pending one-off and recurring schedules, soonest first
/// </summary>
public static class SchedulerApi
{
    public static RouteGroupBuilder MapSchedulerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/scheduled-messages").WithTags("Scheduler");
        api.MapGet("/", List).WithSummary("Scheduled and recurring messages of the durable scheduler");
        return api;
    }

    public sealed class ScheduledMessage
    {
        public Guid TokenId { get; init; }
        public string? ScheduleId { get; init; }
        public string? ScheduleGroup { get; init; }
        public string Destination { get; init; } = "";
        public string[] MessageTypes { get; init; } = [];
        public DateTime DueAt { get; init; }
        public string? Cron { get; init; }
        public bool Paused { get; init; }
        public int FiredCount { get; init; }
    }

    static async Task<Ok<DeadLettersApi.Page<ScheduledMessage>>> List(NpgsqlDataSource dataSource, CancellationToken cancellationToken,
        int limit = 50, int offset = 0)
    {
        Paging.Validate(limit, offset);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = (await connection.QueryAsync<ScheduledMessage>(new CommandDefinition(SchedulerSql.Pending, new { limit, offset },
            cancellationToken: cancellationToken))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SchedulerSql.Count, cancellationToken: cancellationToken));
        return TypedResults.Ok(new DeadLettersApi.Page<ScheduledMessage>(items, total, limit, offset));
    }
}
