namespace DotMac.ServiceDefaults.Messaging.Outbox;

internal static class OutboxSql
{
    public const string NotifyChannel = "dotmac_outbox";

    const string Columns = """
        message_id, conversation_id, correlation_id, initiator_id, request_id, source_address, destination_address,
        response_address, fault_address, content_type, clr_type, body, headers, properties, trace_parent, sent_time,
        enqueue_time, expiration_time
        """;

    public const string Copy = $"""
        copy messaging.outbox_message (inbox_message_id, inbox_consumer_id, {Columns}) from stdin (format binary)
        """;

    // NOTIFY inside a transaction is delivered at commit, and only if it commits.
    public const string Notify = $"select pg_notify('{NotifyChannel}', '')";

    public const string Listen = $"listen {NotifyChannel}";

    /// <summary>The dispatcher's claim: the oldest due bus-outbox rows no other instance is sending right now.</summary>
    public const string ClaimBatch = $"""
        select sequence_number, {Columns}
        from messaging.outbox_message
        where inbox_message_id is null and (enqueue_time is null or enqueue_time <= now())
        order by sequence_number
        limit @limit
        for update skip locked
        """;

    public const string DeleteSent = "delete from messaging.outbox_message where sequence_number = any(@sent)";

    public const string Backlog = """
        select count(*), extract(epoch from now() - min(created_at))::float8
        from messaging.outbox_message where inbox_message_id is null
        """;

    // Inbox: take (or create) the row for this message and consumer and hold its lock for the transaction, so a
    // redelivery racing this one waits and then sees what this one did. A new row is written already marked consumed
    // and delivered: it only commits if the consumer succeeds, and a consumer that sends nothing (the common case)
    // then needs no second statement. "is_new" (xmax = 0: inserted, not updated) tells the two cases apart.
    public const string LockInbox = """
        insert into messaging.inbox_state as s (message_id, consumer_id, consumed, delivered)
        values (@messageId, @consumerId, now(), now())
        on conflict (message_id, consumer_id) do update set receive_count = s.receive_count + 1
        returning (s.xmax = 0) as IsNew, receive_count as ReceiveCount, consumed as Consumed, delivered as Delivered,
                  last_sequence_number as LastSequenceNumber
        """;

    public const string SetConsumedAndDelivered = """
        update messaging.inbox_state set consumed = now(), delivered = now() where message_id = @messageId and consumer_id = @consumerId
        """;

    // The consumer sent messages: they still have to be delivered.
    public const string SetConsumedPendingDelivery = """
        update messaging.inbox_state set consumed = now(), delivered = null where message_id = @messageId and consumer_id = @consumerId
        """;

    public const string SetDelivered = """
        update messaging.inbox_state set delivered = now(), last_sequence_number = @lastSequenceNumber
        where message_id = @messageId and consumer_id = @consumerId
        """;

    public const string SetLastSequence = """
        update messaging.inbox_state set last_sequence_number = @lastSequenceNumber where message_id = @messageId and consumer_id = @consumerId
        """;

    public const string LoadInboxMessages = $"""
        select sequence_number, {Columns}
        from messaging.outbox_message
        where inbox_message_id = @messageId and inbox_consumer_id = @consumerId and sequence_number > @after
        order by sequence_number
        limit @limit
        """;

    public const string RemoveInboxMessages = "delete from messaging.outbox_message where inbox_message_id = @messageId and inbox_consumer_id = @consumerId";

    /// <summary>Retention: inbox rows older than the duplicate-detection window, in bounded batches.</summary>
    public const string CleanupInbox = """
        delete from messaging.inbox_state where ctid = any(array(
            select ctid from messaging.inbox_state where delivered < @before limit @limit))
        """;

    public const string ExpiredOutbox = """
        delete from messaging.outbox_message where inbox_message_id is null and expiration_time < now()
        """;
}
