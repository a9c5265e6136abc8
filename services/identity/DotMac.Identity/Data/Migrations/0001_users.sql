-- Staff users of a tenant (and the platform's own super admins, tenant_id null). Credentials, roles and
-- portal accounts are added by later migrations.
create table users (
    id           uuid primary key,
    tenant_id    uuid,
    email        text not null,
    display_name text not null,
    status       text not null default 'active' check (status in ('invited', 'active', 'locked', 'disabled')),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
-- One account per address within a tenant, case-insensitively; platform users share the null tenant.
create unique index users_tenant_email_key on users (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(email));
