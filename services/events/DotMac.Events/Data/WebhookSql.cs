namespace DotMac.Events.Data;

/// <summary>Webhook subscriptions, deliveries and attempts. Every API query names its tenant.</summary>
internal static class WebhookSql
{
    public const string NotifyChannel = "webhook_deliveries";

    public const string NotifyQueued = $"select pg_notify('{NotifyChannel}', '')";

    public const string SubscriptionColumns = """
        id, tenant_id, url, description, event_types, active, disabled_reason, failing_since, previous_secret_expires_at, created_at, updated_at
        """;

    public const string Insert = $"""
        insert into webhook_subscriptions (id, tenant_id, url, description, event_types, active, secret)
        values (@Id, @TenantId, @Url, @Description, @EventTypes, @Active, @Secret)
        returning {SubscriptionColumns}
        """;

    public const string List = $"""
        select {SubscriptionColumns} from webhook_subscriptions where tenant_id = @TenantId
        order by created_at desc, id limit @Limit offset @Offset
        """;

    public const string Count = "select count(*) from webhook_subscriptions where tenant_id = @TenantId";

    public const string One = $"select {SubscriptionColumns} from webhook_subscriptions where tenant_id = @TenantId and id = @Id";

    // Re-enabling forgets why it was disabled and since when it failed.
    public const string Update = $"""
        update webhook_subscriptions set
            url = coalesce(@Url, url),
            description = coalesce(@Description, description),
            event_types = coalesce(@EventTypes, event_types),
            active = coalesce(@Active, active),
            disabled_reason = case when @Active is true then null else disabled_reason end,
            failing_since = case when @Active is true and not active then null else failing_since end,
            updated_at = now()
        where tenant_id = @TenantId and id = @Id
        returning {SubscriptionColumns}
        """;

    public const string Delete = "delete from webhook_subscriptions where tenant_id = @TenantId and id = @Id";

    public const string RotateSecret = $"""
        update webhook_subscriptions set previous_secret = secret, previous_secret_expires_at = now() + @Validity, secret = @Secret, updated_at = now()
        where tenant_id = @TenantId and id = @Id
        returning {SubscriptionColumns}
        """;

    // A subscription is due when the head of its queue (oldest occurred first) is due: a later event never overtakes an
    // earlier one that waits for its retry. A lease whose owner's heartbeat stopped is free.
    public const string Claim = """
        update webhook_subscriptions s set lease_owner = @Owner
        where s.id in (
            select c.id from webhook_subscriptions c
            where c.active and not (c.id = any(@Busy))
              and (c.lease_owner is null or c.lease_owner = @Owner
                   or not exists (select 1 from webhook_dispatchers w where w.owner = c.lease_owner and w.alive_until > now()))
              and (select d.next_attempt_at from webhook_deliveries d
                   where d.subscription_id = c.id and d.status = 'pending'
                   order by d.occurred_at, d.sequence limit 1) <= now()
            limit @Limit
            for update skip locked)
        returning s.id, s.tenant_id, s.url, s.secret, case when s.previous_secret_expires_at > now() then s.previous_secret end as previous_secret,
            s.failing_since
        """;

    public const string Heartbeat = """
        insert into webhook_dispatchers (owner, alive_until) values (@Owner, now() + @Ttl)
        on conflict (owner) do update set alive_until = excluded.alive_until
        """;

    /// <summary>A dispatcher stopping: its leases are free at once; dispatchers dead for a day are forgotten.</summary>
    public const string Retire = """
        update webhook_subscriptions set lease_owner = null where lease_owner = @Owner;
        delete from webhook_dispatchers where owner = @Owner or alive_until < now() - interval '1 day';
        """;

    public const string ReleaseLease = "update webhook_subscriptions set lease_owner = null where id = @Id and lease_owner = @Owner";

    // Only while this dispatcher still holds the lease; "due" by the database's clock, like the claim.
    public const string NextBatch = """
        select id, tenant_id, message_id, event_type, occurred_at, payload, attempts, next_attempt_at <= now() as due, first_attempt_at
        from webhook_deliveries
        where subscription_id = @Id and status = 'pending'
          and exists (select 1 from webhook_subscriptions s where s.id = @Id and s.lease_owner = @Owner and s.active)
        order by occurred_at, sequence
        limit @Limit
        """;

    public const string InsertAttempts = """
        insert into webhook_attempts (id, delivery_id, tenant_id, number, attempted_at, status_code, latency_ms, error, response_excerpt)
        select * from unnest(@Ids::uuid[], @DeliveryIds::uuid[], @TenantIds::uuid[], @Numbers::int[], @At::timestamptz[], @StatusCodes::int[],
            @LatencyMs::float8[], @Errors::text[], @Excerpts::text[])
        """;

    public const string MarkDelivered = """
        update webhook_deliveries d set status = 'delivered', attempts = d.attempts + 1, delivered_at = a.at, last_attempt_at = a.at,
            first_attempt_at = coalesce(d.first_attempt_at, a.at), last_error = null
        from unnest(@DeliveryIds::uuid[], @At::timestamptz[]) as a(id, at)
        where d.id = a.id and d.status = 'pending'
        """;

    public const string MarkFailedAttempt = """
        update webhook_deliveries set attempts = attempts + 1, last_attempt_at = @At, first_attempt_at = coalesce(first_attempt_at, @At),
            last_error = @Error, next_attempt_at = now() + @Delay, status = case when @GiveUp then 'failed' else status end
        where id = @Id and status = 'pending'
        """;

    public const string SubscriptionHealthy = "update webhook_subscriptions set failing_since = null where id = @Id and failing_since is not null";

    public const string SubscriptionFailing = """
        update webhook_subscriptions set failing_since = coalesce(failing_since, @At),
            active = case when @Disable then false else active end,
            disabled_reason = case when @Disable then @Reason else disabled_reason end,
            updated_at = case when @Disable then now() else updated_at end
        where id = @Id
        """;

    public const string DeliveryColumns = """
        id, subscription_id, message_id, event_type, occurred_at, status, attempts, next_attempt_at, first_attempt_at, last_attempt_at, delivered_at,
        last_error, replay_id, created_at
        """;

    public const string Deliveries = $"""
        select {DeliveryColumns} from webhook_deliveries
        where tenant_id = @TenantId and subscription_id = @SubscriptionId and (@Status::text is null or status = @Status)
        order by created_at desc, sequence desc limit @Limit offset @Offset
        """;

    public const string DeliveryCount = """
        select count(*) from webhook_deliveries
        where tenant_id = @TenantId and subscription_id = @SubscriptionId and (@Status::text is null or status = @Status)
        """;

    public const string Delivery = $"select {DeliveryColumns} from webhook_deliveries where tenant_id = @TenantId and id = @Id";

    public const string Attempts = """
        select number, attempted_at, status_code, latency_ms, error, response_excerpt from webhook_attempts
        where tenant_id = @TenantId and delivery_id = @Id order by number
        """;

    /// <summary>One delivery again, as a new one (the original keeps its attempts).</summary>
    public const string Redeliver = $"""
        insert into webhook_deliveries (id, tenant_id, subscription_id, message_id, event_type, occurred_at, payload, replay_id)
        select @NewId, d.tenant_id, d.subscription_id, d.message_id, d.event_type, d.occurred_at, d.payload, @ReplayId
        from webhook_deliveries d
        where d.tenant_id = @TenantId and d.id = @Id
        returning {DeliveryColumns}
        """;

    /// <summary>Every event of the range that the subscription takes, from the history, as new deliveries in order.</summary>
    public const string ReplayRange = """
        insert into webhook_deliveries (id, tenant_id, subscription_id, message_id, event_type, occurred_at, payload, replay_id)
        select gen_random_uuid(), h.tenant_id, s.id, h.message_id, h.event_type, h.occurred_at, h.payload::text, @ReplayId
        from webhook_subscriptions s
        join event_history h on h.tenant_id = s.tenant_id
        where s.tenant_id = @TenantId and s.id = @Id and h.occurred_at >= @From and h.occurred_at < @To and h.expires_on > (now() at time zone 'UTC')::date
          and exists (select 1 from unnest(s.event_types) p
                      where p = '*' or p = h.event_type or (right(p, 2) = '.*' and starts_with(h.event_type, left(p, -1))))
        order by h.occurred_at, h.sequence
        """;
}
