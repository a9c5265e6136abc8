-- Tenants: the ISPs that use DotMac. Settings are versioned so TenantSettingsChanged can say which version it carries.
create table tenants (
    id               uuid primary key,
    slug             text not null,
    name             text not null,
    status           text not null default 'active' check (status in ('active', 'suspended', 'closed')),
    settings         jsonb not null default '{}'::jsonb,
    settings_version integer not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint tenants_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);
create unique index tenants_slug_key on tenants (slug);
