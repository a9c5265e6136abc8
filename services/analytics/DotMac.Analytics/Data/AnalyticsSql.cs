namespace DotMac.Analytics.Data;

public static class AnalyticsSql
{
    /// <summary>A tenant's zone and currency; an older settings version never overwrites a newer one.</summary>
    public const string UpsertTenant = """
        insert into tenants (tenant_id, time_zone, currency, version) values (@TenantId, @TimeZone, @Currency, @Version)
        on conflict (tenant_id) do update set time_zone = excluded.time_zone, currency = excluded.currency,
            version = excluded.version, updated_at = now()
        where tenants.version <= excluded.version
        """;

    public const string Transition = """
        insert into service_transitions (message_id, tenant_id, service_id, order_id, customer_id, plan_id, kind, occurred_at, detail,
            price, currency, billing_period, monthly_price)
        values (@MessageId, @TenantId, @ServiceId, @OrderId, @CustomerId, @PlanId, @Kind, @OccurredAt, @Detail,
            @Price, @Currency, @BillingPeriod, @MonthlyPrice)
        on conflict (message_id) do nothing;
        select refresh_service_intervals(@TenantId, @ServiceId);
        """;

    public const string Invoice = """
        insert into invoices (invoice_id, tenant_id, customer_id, number, total, amount_due, currency, issued_at, due_at, settled_at)
        values (@InvoiceId, @TenantId, @CustomerId, @Number, @Total, @AmountDue, @Currency, @OccurredAt, @DueAt,
            (select min(c.occurred_at) from invoice_changes c where c.tenant_id = @TenantId and c.invoice_id = @InvoiceId and c.amount_due = 0))
        on conflict (invoice_id) do nothing
        """;

    public const string InvoiceChange = """
        insert into invoice_changes (message_id, tenant_id, invoice_id, amount_due, status, occurred_at)
        values (@MessageId, @TenantId, @InvoiceId, @AmountDue, @Status, @OccurredAt)
        on conflict (message_id) do nothing;
        update invoices set settled_at = @OccurredAt
        where @AmountDue = 0 and tenant_id = @TenantId and invoice_id = @InvoiceId and (settled_at is null or settled_at > @OccurredAt);
        """;

    public const string Payment = """
        insert into payments (payment_id, tenant_id, customer_id, amount, currency, method, occurred_at)
        values (@PaymentId, @TenantId, @CustomerId, @Amount, @Currency, @Method, @OccurredAt)
        on conflict (payment_id) do nothing
        """;

    public const string CreditNote = """
        insert into credit_notes (credit_note_id, tenant_id, customer_id, invoice_id, amount, currency, occurred_at)
        values (@CreditNoteId, @TenantId, @CustomerId, @InvoiceId, @Amount, @Currency, @OccurredAt)
        on conflict (credit_note_id) do nothing
        """;

    public const string OrderSite = """
        insert into order_sites (order_id, tenant_id, site, occurred_at) values (@OrderId, @TenantId, @Site, @OccurredAt)
        on conflict (order_id) do nothing
        """;

    public const string DeviceTransition = """
        insert into device_transitions (message_id, tenant_id, device_id, device_name, kind, occurred_at)
        values (@MessageId, @TenantId, @DeviceId, @DeviceName, @Kind, @OccurredAt)
        on conflict (message_id) do nothing
        """;

    public const string Tenant = "select time_zone, currency from tenants where tenant_id = @TenantId";

    // The periods of a range in the tenant's local days: [start, end) as instants, and the local date each begins on (the
    // first and last are cut to the range: a week asked from a Wednesday starts on that Wednesday).
    // Stocks (active, suspended, terminated) are as at a period's end (or the range's end, if sooner); flows are counted
    // within it. A service's state at an instant is service_states_at's (migration 0003). Money is the tenant's currency
    // only (zone.currency; every currency while platform's TenantCreated has not arrived).
    private const string Periods = """
        with zone as (
            select coalesce((select time_zone from tenants where tenant_id = @TenantId), 'UTC') as tz,
                   (select currency from tenants where tenant_id = @TenantId) as currency
        ),
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
            select count(*) filter (where state = 'active') as active, count(*) filter (where state = 'suspended') as suspended,
                   count(*) filter (where state = 'terminated') as terminated
            from service_states_at(@TenantId, periods.end_at)
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

    /// <summary>
    /// MRR at each period's start and end (active and suspended subscriptions: both are billed subscriptions until
    /// terminated), and what moved it within the period: new (activations), expansion and contraction (plan changes up or
    /// down, against the service's price just before), churned (the price of the services terminated). So
    /// end = start + new + expansion - contraction - churned. Subscribers here are those MRR counts (priced in the tenant's
    /// currency); logo churn = their terminations / their number at the start.
    /// </summary>
    public const string Revenue = Periods + """
        , moves as (
            -- The priced events of the range (activations and plan changes) with the price each service had just before.
            select t.kind, t.occurred_at, t.monthly_price, previous.monthly_price as previous_price
            from service_transitions t cross join zone
            left join lateral (
                select p.monthly_price from service_transitions p
                where p.tenant_id = @TenantId and p.service_id = t.service_id and p.kind in ('activated', 'plan_changed') and p.occurred_at < t.occurred_at
                order by p.occurred_at desc limit 1
            ) as previous on t.kind = 'plan_changed'
            where t.tenant_id = @TenantId and t.kind in ('activated', 'plan_changed') and t.monthly_price is not null
              and (zone.currency is null or t.currency = zone.currency)
              and t.occurred_at >= (select min(start_at) from periods) and t.occurred_at < (select max(end_at) from periods)
        )
        select periods.period,
               opening.subscribers as subscribers_at_start, round(opening.mrr, 2) as mrr_at_start,
               closing.subscribers, round(closing.mrr, 2) as mrr,
               case when closing.subscribers > 0 then round(closing.mrr / closing.subscribers, 2) end as arpu,
               round(moved.new_mrr, 2) as new_mrr, round(moved.expansion_mrr, 2) as expansion_mrr,
               round(moved.contraction_mrr, 2) as contraction_mrr, round(churn.churned_mrr, 2) as churned_mrr,
               churn.churned as churned_subscribers,
               case when opening.subscribers > 0 then churn.churned::double precision / opening.subscribers end as logo_churn,
               case when opening.mrr > 0 then (churn.churned_mrr / opening.mrr)::double precision end as revenue_churn,
               case when opening.mrr > 0 then ((churn.churned_mrr + moved.contraction_mrr - moved.expansion_mrr) / opening.mrr)::double precision end as net_revenue_churn
        from periods cross join zone
        left join lateral (
            select count(*) as subscribers, coalesce(sum(s.monthly_price), 0) as mrr
            from service_states_at(@TenantId, periods.start_at) as s
            where s.state <> 'terminated' and s.monthly_price is not null and (zone.currency is null or s.currency = zone.currency)
        ) as opening on true
        left join lateral (
            select count(*) as subscribers, coalesce(sum(s.monthly_price), 0) as mrr
            from service_states_at(@TenantId, periods.end_at) as s
            where s.state <> 'terminated' and s.monthly_price is not null and (zone.currency is null or s.currency = zone.currency)
        ) as closing on true
        left join lateral (
            select coalesce(sum(m.monthly_price) filter (where m.kind = 'activated'), 0) as new_mrr,
                   coalesce(sum(greatest(m.monthly_price - m.previous_price, 0)) filter (where m.kind = 'plan_changed'), 0) as expansion_mrr,
                   coalesce(sum(greatest(m.previous_price - m.monthly_price, 0)) filter (where m.kind = 'plan_changed'), 0) as contraction_mrr
            from moves as m where m.occurred_at >= periods.start_at and m.occurred_at < periods.end_at
        ) as moved on true
        left join lateral (
            select count(price.monthly_price) as churned, coalesce(sum(price.monthly_price), 0) as churned_mrr
            from service_transitions t
            left join lateral (
                select p.monthly_price from service_transitions p
                where p.tenant_id = @TenantId and p.service_id = t.service_id and p.kind in ('activated', 'plan_changed') and p.occurred_at <= t.occurred_at
                  and p.monthly_price is not null and (zone.currency is null or p.currency = zone.currency)
                order by p.occurred_at desc limit 1
            ) as price on true
            where t.tenant_id = @TenantId and t.kind = 'terminated' and t.occurred_at >= periods.start_at and t.occurred_at < periods.end_at
        ) as churn on true
        order by periods.period
        """;

    /// <summary>Subscribers and MRR per plan at each period's end (terminated services left out).</summary>
    public const string Plans = Periods + """
        select periods.period, s.plan_id, count(*) filter (where s.state = 'active') as active,
               count(*) filter (where s.state = 'suspended') as suspended,
               round(coalesce(sum(s.monthly_price) filter (where zone.currency is null or s.currency = zone.currency), 0), 2) as mrr
        from periods cross join zone
        join lateral service_states_at(@TenantId, periods.end_at) as s on s.state <> 'terminated'
        group by periods.period, s.plan_id
        order by periods.period, count(*) desc, s.plan_id
        """;

    /// <summary>Subscribers and MRR per site (of the prefix each service's address came from) at each period's end.</summary>
    public const string Sites = Periods + """
        select periods.period, site.site, count(*) filter (where s.state = 'active') as active,
               count(*) filter (where s.state = 'suspended') as suspended,
               round(coalesce(sum(s.monthly_price) filter (where zone.currency is null or s.currency = zone.currency), 0), 2) as mrr
        from periods cross join zone
        join lateral service_states_at(@TenantId, periods.end_at) as s on s.state <> 'terminated'
        left join order_sites as site on site.tenant_id = @TenantId and site.order_id = s.order_id
        group by periods.period, site.site
        order by periods.period, count(*) desc, site.site
        """;

    /// <summary>
    /// Invoiced, collected and credited within each period; at its end, what is outstanding (each invoice's balance then:
    /// the lowest balance it was left with before that instant), by ageing (days past due), and days sales outstanding
    /// (outstanding / invoiced over the 90 days before x 90).
    /// </summary>
    public const string Collections = Periods + """
        select periods.period, invoiced.invoices, invoiced.amount as invoiced, collected.amount as collected, credited.amount as credited,
               coalesce(balances.outstanding, 0) as outstanding, coalesce(balances.not_due, 0) as not_due,
               coalesce(balances.overdue_0_to_30, 0) as overdue_0_to_30, coalesce(balances.overdue_31_to_60, 0) as overdue_31_to_60,
               coalesce(balances.overdue_61_to_90, 0) as overdue_61_to_90, coalesce(balances.overdue_over_90, 0) as overdue_over_90,
               coalesce(balances.overdue_invoices, 0) as overdue_invoices,
               case when recent.amount > 0 then round((coalesce(balances.outstanding, 0) / recent.amount * 90)::numeric, 1)::double precision end as days_sales_outstanding
        from periods cross join zone
        left join lateral (
            select count(*) as invoices, coalesce(sum(i.total), 0) as amount from invoices i
            where i.tenant_id = @TenantId and (zone.currency is null or i.currency = zone.currency)
              and i.issued_at >= periods.start_at and i.issued_at < periods.end_at
        ) as invoiced on true
        left join lateral (
            select coalesce(sum(p.amount), 0) as amount from payments p
            where p.tenant_id = @TenantId and (zone.currency is null or p.currency = zone.currency)
              and p.occurred_at >= periods.start_at and p.occurred_at < periods.end_at
        ) as collected on true
        left join lateral (
            select coalesce(sum(c.amount), 0) as amount from credit_notes c
            where c.tenant_id = @TenantId and (zone.currency is null or c.currency = zone.currency)
              and c.occurred_at >= periods.start_at and c.occurred_at < periods.end_at
        ) as credited on true
        left join lateral (
            select sum(b.balance) as outstanding,
                   sum(b.balance) filter (where b.due_at >= periods.end_at) as not_due,
                   sum(b.balance) filter (where b.due_at < periods.end_at and b.days <= 30) as overdue_0_to_30,
                   sum(b.balance) filter (where b.days between 31 and 60) as overdue_31_to_60,
                   sum(b.balance) filter (where b.days between 61 and 90) as overdue_61_to_90,
                   sum(b.balance) filter (where b.days > 90) as overdue_over_90,
                   count(*) filter (where b.due_at < periods.end_at) as overdue_invoices
            from (
                select i.due_at, floor(extract(epoch from periods.end_at - i.due_at) / 86400) as days,
                       least(i.amount_due, coalesce(low.amount_due, i.amount_due)) as balance
                from invoices i
                left join lateral (
                    select min(c.amount_due) as amount_due from invoice_changes c
                    where c.tenant_id = i.tenant_id and c.invoice_id = i.invoice_id and c.occurred_at < periods.end_at
                ) as low on true
                where i.tenant_id = @TenantId and coalesce(i.settled_at, 'infinity'::timestamptz) >= periods.end_at
                  and (zone.currency is null or i.currency = zone.currency) and i.issued_at < periods.end_at
            ) as b
            where b.balance > 0
        ) as balances on true
        left join lateral (
            select sum(i.total) as amount from invoices i
            where i.tenant_id = @TenantId and (zone.currency is null or i.currency = zone.currency)
              and i.issued_at >= periods.end_at - interval '90 days' and i.issued_at < periods.end_at
        ) as recent on true
        order by periods.period
        """;

    // A device's outages: from each "down" that changed its state to the next change (an "up"), or to now.
    private const string Outages = """
        , changes as (
            select device_id, kind, occurred_at, lag(kind) over (partition by device_id order by occurred_at, message_id) as previous
            from device_transitions where tenant_id = @TenantId
        ),
        edges as (
            select device_id, kind, occurred_at, lead(occurred_at) over (partition by device_id order by occurred_at) as until
            from changes where previous is distinct from kind
        ),
        outages as (select device_id, occurred_at as down_at, coalesce(until, now()) as up_at from edges where kind = 'down'),
        names as (
            select distinct on (device_id) device_id, device_name from device_transitions where tenant_id = @TenantId
            order by device_id, occurred_at desc
        )
        """;

    /// <summary>Devices up and down at each period's end, and the minutes each device was down within it (up to now).</summary>
    public const string Network = Periods + Outages + """
        select periods.period, coalesce(state.up, 0) as devices_up, coalesce(state.down, 0) as devices_down,
               coalesce(down.minutes, 0) as downtime_minutes
        from periods
        left join lateral (
            select count(*) filter (where last.kind = 'up') as up, count(*) filter (where last.kind = 'down') as down
            from (
                select distinct on (device_id) kind from device_transitions
                where tenant_id = @TenantId and occurred_at < least(periods.end_at, now())
                order by device_id, occurred_at desc, message_id desc
            ) as last
        ) as state on true
        left join lateral (
            select round((sum(extract(epoch from least(o.up_at, periods.end_at) - greatest(o.down_at, periods.start_at))) / 60)::numeric, 1)::double precision as minutes
            from outages o where o.down_at < periods.end_at and o.up_at > periods.start_at
        ) as down on true
        order by periods.period
        """;

    /// <summary>Minutes of downtime per device per period (devices with none left out).</summary>
    public const string Downtime = Periods + Outages + """
        select periods.period, o.device_id, names.device_name,
               round((sum(extract(epoch from least(o.up_at, periods.end_at) - greatest(o.down_at, periods.start_at))) / 60)::numeric, 1)::double precision as downtime_minutes,
               count(*) filter (where o.down_at >= periods.start_at) as outages
        from periods
        join outages o on o.down_at < periods.end_at and o.up_at > periods.start_at
        join names on names.device_id = o.device_id
        group by periods.period, o.device_id, names.device_name
        order by periods.period, downtime_minutes desc, o.device_id
        """;
}
