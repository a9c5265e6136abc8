namespace DotMac.Events.Data;

/// <summary>The history's SQL, in one place. Every read names its tenant (or is a platform caller's, over all tenants).</summary>
internal static class HistorySql
{
    // One round trip per event: record it (a second copy changes nothing, whichever partition the first is in; the inbox's
    // lock on the message id keeps two copies from racing), with its tenant's retention, queue it for every active subscription of its
    // tenant that takes its type (only if it was new), and NOTIFY the dispatchers at commit (only if something was queued).
    // expires_on: the event's UTC day plus its tenant's retention, never before tomorrow (an old event replayed today is
    // kept until the next sweep at least) and never past the partitions made ahead (a publisher's clock in the future).
    public const string Record = $"""
        with recorded as (
            insert into event_history (message_id, tenant_id, event_type, contract, occurred_at, correlation_id, conversation_id, causation_id, trace_id,
                subject_ids, payload, expires_on)
            select @MessageId, @TenantId, @EventType, @Contract, @OccurredAt, @CorrelationId, @ConversationId, @CausationId, @TraceId,
                @SubjectIds, @Payload::jsonb,
                least(greatest((@OccurredAt at time zone 'UTC')::date + r.days, (now() at time zone 'UTC')::date + 1), (now() at time zone 'UTC')::date + r.days + 28)
            from (select coalesce((select retention_days from tenant_retention where tenant_id = @TenantId), @DefaultRetentionDays) as days) r
            where not exists (select 1 from event_history where message_id = @MessageId)
            on conflict do nothing
            returning message_id),
        queued as (
            insert into webhook_deliveries (id, tenant_id, subscription_id, message_id, event_type, occurred_at, payload)
            select gen_random_uuid(), s.tenant_id, s.id, r.message_id, @EventType, @OccurredAt, @Payload
            from recorded r cross join webhook_subscriptions s
            where s.tenant_id = @TenantId and s.active and s.id <> @Excluded
              and exists (select 1 from unnest(s.event_types) p
                          where p = '*' or p = @EventType or (right(p, 2) = '.*' and starts_with(@EventType, left(p, -1))))
            on conflict (subscription_id, message_id) where replay_id is null do nothing
            returning 1)
        select pg_notify('{WebhookSql.NotifyChannel}', '') from (select 1 from queued limit 1) q
        """;

    public const string Columns = """
        message_id, tenant_id, event_type, contract, occurred_at, recorded_at, correlation_id, conversation_id, causation_id, trace_id, payload::text as payload
        """;

    // One filter for list and export: each condition applies only when its parameter is given. Expired rows (their
    // partition not dropped yet) are not answered.
    const string Filter = """
        where (@TenantId::uuid is null or tenant_id = @TenantId)
          and expires_on > (now() at time zone 'UTC')::date
          and (@Types::text[] is null or event_type = any(@Types))
          and (@From::timestamptz is null or occurred_at >= @From)
          and (@To::timestamptz is null or occurred_at < @To)
          and (@CorrelationId::uuid is null or correlation_id = @CorrelationId)
          and (@SubjectId::uuid is null or subject_ids @> array[@SubjectId::uuid])
        """;

    public const string ListNewestFirst = $"""
        select {Columns} from event_history {Filter}
          and (@AfterAt::timestamptz is null or (occurred_at, message_id) < (@AfterAt, @AfterId))
        order by occurred_at desc, message_id desc limit @Limit
        """;

    public const string ListOldestFirst = $"""
        select {Columns} from event_history {Filter}
          and (@AfterAt::timestamptz is null or (occurred_at, message_id) > (@AfterAt, @AfterId))
        order by occurred_at, message_id limit @Limit
        """;

    public const string Export = $"""
        select {Columns} from event_history {Filter}
        order by occurred_at, message_id
        """;

    public const string One = $"""
        select {Columns} from event_history
        where message_id = @Id and (@TenantId::uuid is null or tenant_id = @TenantId) and expires_on > (now() at time zone 'UTC')::date
        limit 1
        """;

    public const string RetentionOf = "select retention_days from tenant_retention where tenant_id = @TenantId";

    public const string LongestRetention = "select coalesce(max(retention_days), 0) from tenant_retention";

    public const string SetRetention = """
        insert into tenant_retention (tenant_id, retention_days) values (@TenantId, @Days)
        on conflict (tenant_id) do update set retention_days = excluded.retention_days, updated_at = now()
        """;

    /// <summary>The history's partitions and the months they hold (their bounds), to create what is missing and drop what expired.</summary>
    public const string Partitions = """
        select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
        from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = 'event_history'
        """;

    /// <summary>
    /// Serialises partition upkeep between instances (DDL on one table, one at a time); waits at most 5 s for the
    /// table's lock (a long export holds it), so recording never queues behind a DROP for long: the upkeep retries.
    /// </summary>
    public const string LockPartitions = "set local lock_timeout = '5s'; select pg_advisory_xact_lock(hashtext('event_history partitions'))";

    /// <summary>Today in UTC, by the database's clock (the one every expiry is computed with).</summary>
    public const string Today = "select (now() at time zone 'UTC')::date";
}
