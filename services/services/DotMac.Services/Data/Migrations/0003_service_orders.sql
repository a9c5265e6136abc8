-- Service instances (a subscriber's service and its lifecycle) and the orders that provision them. An order keeps
-- the plan version it bought; its steps are the provisioning saga's progress, for staff to read.
create table service_instances (
    id              uuid primary key,
    tenant_id       uuid not null,
    customer_id     uuid not null,
    plan_id         uuid not null references plans (id),
    plan_version    integer not null,
    pool_id         uuid not null,
    username        text not null,
    address         text,
    subscription_id uuid,
    status          text not null default 'pending'
                    check (status in ('pending', 'provisioning', 'active', 'suspended', 'terminated', 'failed')),
    status_reason   text,
    activated_at    timestamptz,
    suspended_at    timestamptz,
    terminated_at   timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    foreign key (plan_id, plan_version) references plan_versions (plan_id, version)
);
create index service_instances_tenant_customer_idx on service_instances (tenant_id, customer_id);
-- A username names one live subscriber of the tenant (RADIUS looks subscribers up by it).
create unique index service_instances_live_username_key on service_instances (tenant_id, username)
    where status not in ('terminated', 'failed');

create table service_orders (
    id              uuid primary key,
    tenant_id       uuid not null,
    service_id      uuid not null references service_instances (id),
    customer_id     uuid not null,
    plan_id         uuid not null,
    plan_version    integer not null,
    pool_id         uuid not null,
    username        text not null,
    idempotency_key text not null,
    request_hash    text not null,
    status          text not null default 'pending' check (status in ('pending', 'provisioning', 'active', 'failed')),
    failed_step     text,
    failure_reason  text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create unique index service_orders_tenant_idempotency_key on service_orders (tenant_id, idempotency_key);
create index service_orders_tenant_created_idx on service_orders (tenant_id, created_at desc);

create table service_order_steps (
    seq        bigserial primary key,
    order_id   uuid not null references service_orders (id),
    tenant_id  uuid not null,
    step       text not null,
    outcome    text not null check (outcome in ('started', 'completed', 'failed', 'compensated')),
    detail     text,
    at         timestamptz not null default now()
);
create index service_order_steps_order_idx on service_order_steps (order_id, seq);
