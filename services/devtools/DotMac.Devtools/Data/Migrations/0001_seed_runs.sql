-- Demo-data seeding runs, so a seed is recorded and never applied twice to one tenant.
create table seed_runs (
    id          uuid primary key,
    tenant_id   uuid not null,
    profile     text not null,
    status      text not null check (status in ('running', 'succeeded', 'failed')),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    error       text
);
create unique index seed_runs_tenant_profile_key on seed_runs (tenant_id, profile) where status <> 'failed';
