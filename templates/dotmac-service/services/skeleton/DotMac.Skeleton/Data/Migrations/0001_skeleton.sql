-- skeleton's first schema. Never edit an applied script: add 0002_<what>.sql.

-- The tenants skeleton knows of, from platform's TenantCreated (see Consumers/TenantCreatedConsumer.cs).
create table tenants (
    id         uuid primary key,
    slug       text not null,
    name       text not null,
    created_at timestamptz not null
);

-- Widgets: every row belongs to a tenant and every query filters on tenant_id. A create carries an
-- Idempotency-Key; the key and a hash of what was asked are kept so a repeat answers with the first result.
create table widgets (
    id              uuid primary key,
    tenant_id       uuid not null,
    code            text not null,
    name            text not null,
    idempotency_key text not null,
    request_hash    text not null,
    created_at      timestamptz not null default now(),
    constraint widgets_code_format check (code ~ '^[a-z0-9][a-z0-9-]{0,62}$')
);
create unique index widgets_tenant_code_key on widgets (tenant_id, code);
create unique index widgets_tenant_idempotency_key on widgets (tenant_id, idempotency_key);
create index widgets_tenant_created on widgets (tenant_id, created_at, id);
