using System.Text.Json;
using Dapper;
using DotMac.ServiceDefaults.Problems;
using MassTransit;
using Npgsql;

namespace DotMac.Ops.DeadLetters;

/// <summary>
/// Dead letters in ops's database: collected from the _error queues, listed per queue, replayed to their input queue
/// or discarded. Replay publishes first and marks after, so a crash in between can replay twice; the receiving inbox
/// recognises the MessageId and handles it once.
/// </summary>
public sealed class DeadLetterStore(NpgsqlDataSource dataSource, BrokerQueues broker, ILogger<DeadLetterStore> logger)
{
    // Headers MassTransit adds when it moves a message to _error; a replay sends the message as it was.
    static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    /// <summary>Moves everything currently in the _error queues into the table; returns how many messages moved.</summary>
    public async Task<int> CollectAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var queue in await broker.ErrorQueuesAsync(cancellationToken))
        {
            while (await broker.TakeOneAsync(queue, message => InsertAsync(message, cancellationToken), cancellationToken))
                moved++;
        }
        if (moved > 0)
            logger.LogWarning("Collected {Count} dead-lettered messages from the _error queues", moved);
        return moved;
    }

    async Task InsertAsync(BrokerMessage message, CancellationToken cancellationToken)
    {
        var headers = message.Headers;
        var input = headers.TryGetValue("MT-Fault-InputAddress", out var address) && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? message.Queue[..^BrokerQueues.ErrorSuffix.Length]
            : message.Queue[..^BrokerQueues.ErrorSuffix.Length];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(DeadLetterSql.Insert, new
        {
            Id = NewId.NextSequentialGuid(),
            message.Queue,
            InputQueue = input,
            MessageId = Guid.TryParse(message.MessageId, out var id) ? id : (Guid?)null,
            MessageTypes = MessageTypesOf(message),
            message.ContentType,
            message.Body,
            Headers = JsonSerializer.Serialize(headers),
            ExceptionType = headers.GetValueOrDefault("MT-Fault-ExceptionType"),
            Exception = headers.GetValueOrDefault("MT-Fault-Message"),
            FaultedAt = headers.TryGetValue("MT-Fault-Timestamp", out var at) && DateTime.TryParse(at, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal, out var faulted) ? faulted : (DateTime?)null,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>The message types of a MassTransit envelope (JSON body), or of the header raw-JSON messages carry.</summary>
    static string[] MessageTypesOf(BrokerMessage message)
    {
        if (message.Headers.TryGetValue("MT-MessageType", out var header))
            return header.Split(';');
        try
        {
            using var envelope = JsonDocument.Parse(message.Body);
            return envelope.RootElement.ValueKind == JsonValueKind.Object
                && envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                ? types.EnumerateArray().Select(t => t.GetString() ?? "").Where(t => t.Length > 0).ToArray()
                : [];
        }
        catch (JsonException)
        {
            return []; // not JSON: kept as it is, typeless
        }
    }

    public async Task<IReadOnlyList<DeadLetterQueue>> QueuesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DeadLetterQueue>(new CommandDefinition(DeadLetterSql.Queues, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<(IReadOnlyList<DeadLetter> Items, long Total)> ListAsync(string? queue, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = (await connection.QueryAsync<DeadLetter>(new CommandDefinition(DeadLetterSql.List, new { queue, limit, offset },
            cancellationToken: cancellationToken))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(DeadLetterSql.Count, new { queue }, cancellationToken: cancellationToken));
        return (items, total);
    }

    public async Task<DeadLetter> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeadLetter>(new CommandDefinition(DeadLetterSql.Get, new { id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Dead letter", id);
    }

    public async Task<DeadLetter> ReplayAsync(Guid id, CancellationToken cancellationToken)
    {
        var letter = await GetAsync(id, cancellationToken);
        EnsureDead(letter);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(letter.Headers ?? "{}") ?? [];
        var replayed = headers.Where(h => !FaultHeaderPrefixes.Any(p => h.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(h => h.Key, h => h.Value);
        await broker.PublishAsync(letter.InputQueue, letter.MessageId?.ToString(), letter.ContentType, letter.Body!, replayed, cancellationToken);
        await ResolveAsync(id, "replayed", cancellationToken);
        logger.LogInformation("Replayed dead letter {Id} ({MessageId}) to {Queue}", id, letter.MessageId, letter.InputQueue);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<DeadLetter> DiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        EnsureDead(await GetAsync(id, cancellationToken));
        await ResolveAsync(id, "discarded", cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    static void EnsureDead(DeadLetter letter)
    {
        if (letter.Status != "dead")
            throw new ConflictException($"Dead letter {letter.Id} was already {letter.Status}.", "dead_letter.resolved");
    }

    async Task ResolveAsync(Guid id, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(DeadLetterSql.Resolve, new { id, status }, cancellationToken: cancellationToken)) == 0)
            throw new ConflictException($"Dead letter {id} was resolved by another request.", "dead_letter.resolved");
    }
}
