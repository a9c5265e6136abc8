-- Runs of POST /api/v1/seed as a history. A run starts before its tenant exists (the seed creates it), and the same
-- seed may run again (the seeder finds what exists and creates nothing twice), so the (tenant, profile) guard of 0001
-- gives way to one running run per profile at a time. A run whose heartbeat stops (devtools stopped) is abandoned.
alter table seed_runs alter column tenant_id drop not null;
drop index seed_runs_tenant_profile_key;
alter table seed_runs
    add column seed         integer,
    add column customers    integer,
    add column requested_by text,
    add column heartbeat_at timestamptz not null default now(),
    add column report       jsonb;
create unique index seed_runs_one_running_key on seed_runs (profile) where status = 'running';
create index seed_runs_started_at_idx on seed_runs (started_at desc);
