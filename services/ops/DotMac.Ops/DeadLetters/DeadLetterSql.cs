namespace DotMac.Ops.DeadLetters;

internal static class DeadLetterSql
{
    public const string Insert = """
        insert into dead_letters (id, queue, input_queue, message_id, message_types, content_type, body, headers,
                                  exception_type, exception, faulted_at)
        values (@Id, @Queue, @InputQueue, @MessageId, @MessageTypes, @ContentType, @Body, @Headers::jsonb,
                @ExceptionType, @Exception, @FaultedAt)
        on conflict (queue, message_id) where message_id is not null do nothing
        """;

    const string Columns = """
        id as Id, queue as Queue, input_queue as InputQueue, message_id as MessageId, message_types as MessageTypes,
        content_type as ContentType, exception_type as ExceptionType, exception as Exception, faulted_at as FaultedAt,
        collected_at as CollectedAt, status as Status, resolved_at as ResolvedAt
        """;

    public const string Queues = """
        select queue as Queue, count(*) as Count, min(collected_at) as Oldest, max(collected_at) as Newest
        from dead_letters where status = 'dead' group by queue order by queue
        """;

    public const string List = $"""
        select {Columns} from dead_letters
        where status = 'dead' and (@queue::text is null or queue = @queue)
        order by collected_at desc, id
        limit @limit offset @offset
        """;

    public const string Count = "select count(*) from dead_letters where status = 'dead' and (@queue::text is null or queue = @queue)";

    public const string Get = $"select {Columns}, body as Body, headers::text as Headers from dead_letters where id = @id";

    public const string Resolve = """
        update dead_letters set status = @status, resolved_at = now() where id = @id and status = 'dead'
        """;
}
