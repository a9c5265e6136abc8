using DotMac.Ops.DeadLetters;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Ops.Apis;

/// <summary>
/// Dead-lettered messages per queue:
///   GET    /api/v1/dead-letters/queues          queues holding dead letters, with counts
///   GET    /api/v1/dead-letters?queue=&amp;limit=&amp;offset=   dead letters, newest first
///   GET    /api/v1/dead-letters/{id}            one, with its body and headers
///   POST   /api/v1/dead-letters/{id}/replay     sends it back to the queue it failed on
///   DELETE /api/v1/dead-letters/{id}            discards it
///   POST   /api/v1/dead-letters/collect         sweeps the _error queues now (also done every few seconds)
/// </summary>
public static class DeadLettersApi
{
    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/dead-letters").WithTags("Dead letters");
        api.MapGet("/queues", ListQueues).WithSummary("Queues that hold dead-lettered messages, with counts");
        api.MapGet("/", List).WithSummary("List dead-lettered messages");
        api.MapGet("/{id:guid}", Get).WithSummary("One dead-lettered message with its fault");
        api.MapPost("/{id:guid}/replay", Replay).WithSummary("Send a dead-lettered message back to its queue");
        api.MapDelete("/{id:guid}", Discard).WithSummary("Discard a dead-lettered message");
        api.MapPost("/collect", Collect).WithSummary("Collect the _error queues' messages into the dead-letter store now");
        return api;
    }

    public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);

    public sealed record CollectResult(int Collected);

    static async Task<Ok<IReadOnlyList<DeadLetterQueue>>> ListQueues(DeadLetterStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.QueuesAsync(cancellationToken));

    static async Task<Ok<Page<DeadLetter>>> List(DeadLetterStore store, CancellationToken cancellationToken, string? queue = null, int limit = 50, int offset = 0)
    {
        Paging.Validate(limit, offset);
        var (items, total) = await store.ListAsync(queue, limit, offset, cancellationToken);
        return TypedResults.Ok(new Page<DeadLetter>(items, total, limit, offset));
    }

    static async Task<Ok<DeadLetter>> Get(Guid id, DeadLetterStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAsync(id, cancellationToken));

    static async Task<Ok<DeadLetter>> Replay(Guid id, DeadLetterStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ReplayAsync(id, cancellationToken));

    static async Task<Ok<DeadLetter>> Discard(Guid id, DeadLetterStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.DiscardAsync(id, cancellationToken));

    static async Task<Ok<CollectResult>> Collect(DeadLetterStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CollectResult(await store.CollectAsync(cancellationToken)));
}

internal static class Paging
{
    public const int MaxLimit = DotMac.ServiceDefaults.Http.OffsetPaging.MaxLimit;

    public static void Validate(int limit, int offset)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
            errors["limit"] = [$"must be between 1 and {MaxLimit}"];
        if (offset < 0)
            errors["offset"] = ["must not be negative"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
    }
}
