-- One billing account per customer, in the tenant's currency. Subscriptions, invoices and payments come later.
create table billing_accounts (
    id          uuid primary key,
    tenant_id   uuid not null,
    customer_id uuid not null,
    currency    char(3) not null check (currency ~ '^[A-Z]{3}$'),
    status      text not null default 'active' check (status in ('active', 'closed')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index billing_accounts_tenant_customer_key on billing_accounts (tenant_id, customer_id);
