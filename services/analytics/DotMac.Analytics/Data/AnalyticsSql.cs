namespace DotMac.Analytics.Data;

static class AnalyticsSql
{
    /// <summary>A tenant's zone and currency; an older settings version never overwrites a newer one.</summary>
    public const string UpsertTenant = """
        insert into tenants (tenant_id, time_zone, currency, version) values (@TenantId, @TimeZone, @Currency, @Version)
        on conflict (tenant_id) do update set time_zone = excluded.time_zone, currency = excluded.currency,
            version = excluded.version, updated_at = now()
        where tenants.version <= excluded.version
        """;

    public const string Transition = """
        insert into service_transitions (message_id, tenant_id, service_id, order_id, customer_id, plan_id, kind, occurred_at, detail)
        values (@MessageId, @TenantId, @ServiceId, @OrderId, @CustomerId, @PlanId, @Kind, @OccurredAt, @Detail)
        on conflict (message_id) do nothing
        """;

    public const string Tenant = "select time_zone, currency from tenants where tenant_id = @TenantId";

    // The periods of a range in the tenant's local days: [start, end) as instants, and the local date each begins on (the
    // first and last are cut to the range: a week asked from a Wednesday starts on that Wednesday).
    // Stocks (active, suspended, terminated) are as at a period's end (or the range's end, if sooner); flows are counted
    // within it. A service's state at an instant is its last activated/suspended/resumed/terminated event before it (a
    // termination wins a tie).
    private const string Periods = """
        with zone as (select coalesce((select time_zone from tenants where tenant_id = @TenantId), 'UTC') as tz),
        periods as (
            select greatest(p::date, @From::date) as period,
                   (greatest(p::date, @From::date)::timestamp at time zone zone.tz) as start_at,
                   (least((p + ('1 ' || @Grain)::interval)::date, @To::date + 1)::timestamp at time zone zone.tz) as end_at
            from zone, generate_series(date_trunc(@Grain, @From::date::timestamp), @To::date::timestamp, ('1 ' || @Grain)::interval) as p
        )
        """;

    public const string Subscribers = Periods + """
        select periods.period,
               coalesce(stock.active, 0) as active, coalesce(stock.suspended, 0) as suspended, coalesce(stock.terminated, 0) as terminated,
               coalesce(flow.activated, 0) as activated, coalesce(flow.churned, 0) as churned
        from periods
        left join lateral (
            select count(*) filter (where kind in ('activated', 'resumed')) as active,
                   count(*) filter (where kind = 'suspended') as suspended,
                   count(*) filter (where kind = 'terminated') as terminated
            from (
                select distinct on (service_id) kind
                from service_transitions
                where tenant_id = @TenantId and kind in ('activated', 'suspended', 'resumed', 'terminated') and occurred_at < periods.end_at
                order by service_id, occurred_at desc, case kind when 'terminated' then 0 when 'suspended' then 1 else 2 end
            ) as last
        ) as stock on true
        left join lateral (
            select count(*) filter (where kind = 'activated') as activated, count(*) filter (where kind = 'terminated') as churned
            from service_transitions
            where tenant_id = @TenantId and occurred_at >= periods.start_at and occurred_at < periods.end_at
        ) as flow on true
        order by periods.period
        """;

    /// <summary>Orders per period; lead time is submitted to activated of the orders activated in the period.</summary>
    public const string Provisioning = Periods + """
        select periods.period,
               coalesce(flow.submitted, 0) as submitted, coalesce(flow.activated, 0) as activated, coalesce(flow.failed, 0) as failed,
               lead.p50 as lead_time_p50_seconds, lead.p95 as lead_time_p95_seconds
        from periods
        left join lateral (
            select count(*) filter (where kind = 'submitted') as submitted, count(*) filter (where kind = 'activated') as activated,
                   count(*) filter (where kind = 'failed') as failed
            from service_transitions
            where tenant_id = @TenantId and order_id is not null and occurred_at >= periods.start_at and occurred_at < periods.end_at
        ) as flow on true
        left join lateral (
            select percentile_cont(0.5) within group (order by seconds) as p50, percentile_cont(0.95) within group (order by seconds) as p95
            from (
                select extract(epoch from (a.occurred_at - s.occurred_at))::double precision as seconds
                from service_transitions a
                join service_transitions s on s.tenant_id = a.tenant_id and s.order_id = a.order_id and s.kind = 'submitted'
                where a.tenant_id = @TenantId and a.kind = 'activated' and a.occurred_at >= periods.start_at and a.occurred_at < periods.end_at
            ) as durations
        ) as lead on true
        order by periods.period
        """;

    /// <summary>Why orders failed in a range: the step and reason, most frequent first.</summary>
    public const string FailureReasons = Periods + """
        select detail as reason, count(*) as orders
        from service_transitions
        where tenant_id = @TenantId and kind = 'failed'
          and occurred_at >= (select min(start_at) from periods) and occurred_at < (select max(end_at) from periods)
        group by detail order by count(*) desc, detail limit 20
        """;
}
