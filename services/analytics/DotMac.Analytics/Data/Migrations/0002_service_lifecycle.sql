-- Analytics' first read models, fed only by integration events (never another service's tables):
-- * tenants: the time zone (the tenant's local days) and currency, from platform's events;
-- * service_transitions: every lifecycle event of every service, one row per message. Figures are computed from the
--   events' own times, not their arrival: an event that comes late or twice changes nothing wrongly (a repeat is the
--   same message id; a late one sorts into its place).
-- The placeholder of 0001 was never written: its figures come from these rows now.
drop table subscriber_daily;

create table tenants (
    tenant_id  uuid primary key,
    time_zone  text not null,
    currency   text not null,
    version    integer not null default 0,
    updated_at timestamptz not null default now()
);

create table service_transitions (
    message_id  uuid primary key,
    tenant_id   uuid not null,
    service_id  uuid not null,
    order_id    uuid,
    customer_id uuid not null,
    plan_id     uuid,
    kind        text not null check (kind in ('submitted', 'activated', 'failed', 'suspended', 'resumed', 'terminated')),
    occurred_at timestamptz not null,
    detail      text
);

create index service_transitions_tenant_time on service_transitions (tenant_id, occurred_at);
create index service_transitions_tenant_service on service_transitions (tenant_id, service_id, occurred_at desc);
create index service_transitions_tenant_order on service_transitions (tenant_id, order_id) where order_id is not null;
