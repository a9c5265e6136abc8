namespace DotMac.Ops.Scheduling;

internal static class SchedulerSql
{
    public const string Schedule = """
        insert into scheduled_messages (token_id, destination, envelope, message_types, due_at, origin_trace_parent)
        select @TokenId, @Destination, @Envelope, @MessageTypes, @DueAt, @Origin
        where not exists (select 1 from cancelled_schedules where token_id = @TokenId)
        on conflict (token_id) do nothing
        """;

    public const string ScheduleRecurring = """
        insert into scheduled_messages (token_id, schedule_id, schedule_group, destination, envelope, message_types, due_at, cron, time_zone, end_at, origin_trace_parent)
        values (@TokenId, @ScheduleId, @ScheduleGroup, @Destination, @Envelope, @MessageTypes, @DueAt, @Cron, @TimeZone, @EndAt, @Origin)
        on conflict (schedule_group, schedule_id) where schedule_id is not null do update
        set destination = excluded.destination, envelope = excluded.envelope, message_types = excluded.message_types,
            due_at = excluded.due_at, cron = excluded.cron, time_zone = excluded.time_zone, end_at = excluded.end_at, paused = false,
            origin_trace_parent = excluded.origin_trace_parent
        """;

    public const string Cancel = """
        with gone as (delete from scheduled_messages where token_id = @tokenId)
        insert into cancelled_schedules (token_id) values (@tokenId) on conflict do nothing
        """;

    public const string CancelRecurring = "delete from scheduled_messages where schedule_group = @group and schedule_id = @id";

    public const string SetPaused = "update scheduled_messages set paused = @paused where schedule_group = @group and schedule_id = @id";

    public const string ClaimDue = """
        select token_id as TokenId, destination as Destination, envelope as Envelope, due_at as DueAt, cron as Cron,
               time_zone as TimeZone, end_at as EndAt, fired_count as FiredCount, origin_trace_parent as Origin
        from scheduled_messages
        where due_at <= now() and not paused
        order by due_at
        limit @limit
        for update skip locked
        """;

    public const string Fired = "delete from scheduled_messages where token_id = any(@tokenIds)";

    public const string Reschedule = """
        update scheduled_messages set due_at = @next, fired_count = fired_count + 1, last_fired_at = now() where token_id = @tokenId
        """;

    public const string NextDue = "select min(due_at) from scheduled_messages where not paused";

    public const string Backlog = "select count(*) from scheduled_messages where not paused and due_at <= now()";

    public const string Pending = """
        select token_id as TokenId, schedule_id as ScheduleId, schedule_group as ScheduleGroup, destination as Destination,
               message_types as MessageTypes, due_at as DueAt, cron as Cron, paused as Paused, fired_count as FiredCount
        from scheduled_messages
        order by due_at, token_id
        limit @limit offset @offset
        """;

    public const string Count = "select count(*) from scheduled_messages";

    public const string PurgeTombstones = "delete from cancelled_schedules where cancelled_at < now() - interval '30 days'";
}
