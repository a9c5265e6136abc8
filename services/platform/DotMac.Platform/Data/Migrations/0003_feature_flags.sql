-- Feature flags: a key, what it switches, its default, an optional percentage rollout (stable per tenant), and tenants'
-- own overrides. Every change takes the next number of one sequence as the flag's version, so versions only grow, even
-- across a delete and a re-create: services' caches apply a change only if it is newer than what they hold.
create sequence feature_flag_versions;

create table feature_flags (
    key             text primary key check (key ~ '^[a-z][a-z0-9_.-]{1,62}$'),
    description     text not null check (length(description) between 1 and 500),
    default_enabled boolean not null,
    rollout_percent integer check (rollout_percent between 0 and 100),
    version         integer not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table feature_flag_overrides (
    key        text not null references feature_flags (key) on delete cascade,
    tenant_id  uuid not null references tenants (id),
    enabled    boolean not null,
    updated_at timestamptz not null default now(),
    primary key (key, tenant_id)
);

create index feature_flag_overrides_tenant on feature_flag_overrides (tenant_id);

-- Webhooks (the events service) are on for every tenant unless platform staff turn them off for one.
insert into feature_flags (key, description, default_enabled, version)
values ('webhooks', 'Partner webhooks of the events service: subscriptions can be made and deliveries are sent.', true, nextval('feature_flag_versions'));
