-- The plan catalog. A plan's commercial terms are versioned: an order keeps the version it bought.
create table plans (
    id          uuid primary key,
    tenant_id   uuid not null,
    code        text not null,
    name        text not null,
    status      text not null default 'draft' check (status in ('draft', 'active', 'retired')),
    version     integer not null default 1 check (version > 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index plans_tenant_code_key on plans (tenant_id, code);
