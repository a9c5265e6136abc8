-- Billing accounts open from CustomerCreated before their currency is known: the first subscription sets it.
alter table billing_accounts alter column currency drop not null;

-- A customer's subscription to a plan, opened by the provisioning saga with the plan version's price as a snapshot
-- (a later change of the plan does not touch it) and cancelled by its compensation or by termination.
create table subscriptions (
    id              uuid primary key,
    tenant_id       uuid not null,
    account_id      uuid not null references billing_accounts (id),
    customer_id     uuid not null,
    order_id        uuid not null,
    service_id      uuid not null,
    plan_id         uuid not null,
    plan_version    integer not null,
    plan_name       text not null,
    price           numeric(19, 4) not null check (price >= 0),
    currency        char(3) not null check (currency ~ '^[A-Z]{3}$'),
    billing_period  text not null check (billing_period in ('monthly', 'quarterly', 'yearly')),
    activation_date date not null,
    status          text not null default 'active' check (status in ('active', 'cancelled')),
    cancelled_at    timestamptz,
    cancel_reason   text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
-- One subscription per order: a redelivered or repeated open finds the first.
create unique index subscriptions_order_key on subscriptions (tenant_id, order_id);
create index subscriptions_tenant_customer_idx on subscriptions (tenant_id, customer_id);
