-- Speed over a large tenant: what service_states_at and the outstanding balance used to derive from every fact at
-- every call is kept derived beside the facts, recomputed from them (so it stays order-tolerant and idempotent):
-- * service_intervals: each service's history as intervals [valid_from, valid_to) of one state, plan and price, rebuilt
--   from the service's own transitions whenever one of them is recorded (refresh_service_intervals);
-- * invoices.settled_at: when an invoice's balance reached 0 (the earliest such change), kept by both the invoice's and
--   the change's statements, whichever arrives first.
create table service_intervals (
    tenant_id     uuid not null,
    service_id    uuid not null,
    order_id      uuid,
    valid_from    timestamptz not null,
    valid_to      timestamptz,
    state         text not null,
    plan_id       uuid,
    monthly_price numeric,
    currency      text,
    primary key (tenant_id, service_id, valid_from)
);
create index service_intervals_until on service_intervals (tenant_id, (coalesce(valid_to, 'infinity'::timestamptz)));

create function refresh_service_intervals(p_tenant uuid, p_service uuid) returns void
language sql as $$
    delete from service_intervals where tenant_id = p_tenant and service_id = p_service;
    insert into service_intervals (tenant_id, service_id, order_id, valid_from, valid_to, state, plan_id, monthly_price, currency)
    select p_tenant, p_service,
           (select a.order_id from service_transitions a where a.tenant_id = p_tenant and a.service_id = p_service and a.kind = 'activated' limit 1),
           e.at, lead(e.at) over (order by e.at), s.state, p.plan_id, p.monthly_price, p.currency
    from (
        select distinct t.occurred_at as at from service_transitions t
        where t.tenant_id = p_tenant and t.service_id = p_service and t.kind in ('activated', 'suspended', 'resumed', 'terminated', 'plan_changed')
    ) as e
    cross join lateral (
        select case t.kind when 'resumed' then 'active' when 'activated' then 'active' else t.kind end as state
        from service_transitions t
        where t.tenant_id = p_tenant and t.service_id = p_service and t.kind in ('activated', 'suspended', 'resumed', 'terminated') and t.occurred_at <= e.at
        order by t.occurred_at desc, case t.kind when 'terminated' then 0 when 'suspended' then 1 else 2 end
        limit 1
    ) as s
    left join lateral (
        select t.plan_id, t.monthly_price, t.currency
        from service_transitions t
        where t.tenant_id = p_tenant and t.service_id = p_service and t.kind in ('activated', 'plan_changed') and t.occurred_at <= e.at
        order by t.occurred_at desc
        limit 1
    ) as p on true
$$;

-- Every service as it stood just before an instant: the interval that covers it (one plain SELECT, so the planner
-- inlines it into the query that calls it).
create or replace function service_states_at(p_tenant uuid, p_at timestamptz)
returns table (service_id uuid, state text, plan_id uuid, monthly_price numeric, currency text, order_id uuid)
language sql stable as $$
    select i.service_id, i.state, i.plan_id, i.monthly_price, i.currency, i.order_id from service_intervals i
    where i.tenant_id = p_tenant and i.valid_from < p_at and coalesce(i.valid_to, 'infinity'::timestamptz) >= p_at
$$;

select refresh_service_intervals(tenant_id, service_id) from (select distinct tenant_id, service_id from service_transitions) as services;

alter table invoices add column settled_at timestamptz;
update invoices i set settled_at = (select min(c.occurred_at) from invoice_changes c where c.tenant_id = i.tenant_id and c.invoice_id = i.invoice_id and c.amount_due = 0);
create index invoices_tenant_open on invoices (tenant_id, (coalesce(settled_at, 'infinity'::timestamptz)));
