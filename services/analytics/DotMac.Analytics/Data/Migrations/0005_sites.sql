-- Subscribers by site: the site of the prefix an order's address came from (networking's IpAssigned), and the order
-- of each service in service_states_at to find it.
create table order_sites (
    order_id    uuid primary key,
    tenant_id   uuid not null,
    site        text,
    occurred_at timestamptz not null
);
create index order_sites_tenant on order_sites (tenant_id);

drop function service_states_at(uuid, timestamptz);
-- As 0003's, with the order that made the service (its activation's).
create function service_states_at(p_tenant uuid, p_at timestamptz)
returns table (service_id uuid, state text, plan_id uuid, monthly_price numeric, currency text, order_id uuid)
language sql stable as $$
    select s.service_id, case s.kind when 'resumed' then 'active' when 'activated' then 'active' else s.kind end, p.plan_id, p.monthly_price, p.currency,
           (select a.order_id from service_transitions a where a.tenant_id = p_tenant and a.service_id = s.service_id and a.kind = 'activated' limit 1)
    from (
        select distinct on (t.service_id) t.service_id, t.kind
        from service_transitions t
        where t.tenant_id = p_tenant and t.kind in ('activated', 'suspended', 'resumed', 'terminated') and t.occurred_at < p_at
        order by t.service_id, t.occurred_at desc, case t.kind when 'terminated' then 0 when 'suspended' then 1 else 2 end
    ) as s
    left join lateral (
        select t.plan_id, t.monthly_price, t.currency
        from service_transitions t
        where t.tenant_id = p_tenant and t.service_id = s.service_id and t.kind in ('activated', 'plan_changed') and t.occurred_at < p_at
        order by t.occurred_at desc
        limit 1
    ) as p on true
$$;
