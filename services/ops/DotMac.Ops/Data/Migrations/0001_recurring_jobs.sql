-- Recurring jobs ops runs on a schedule (billing cycles, dunning sweeps, partition upkeep), and their runs.
create table recurring_jobs (
    name         text primary key,
    cron         text not null,
    time_zone    text not null default 'UTC',
    enabled      boolean not null default true,
    next_run_at  timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create table job_runs (
    id           uuid primary key,
    job_name     text not null references recurring_jobs (name) on delete cascade,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    status       text not null check (status in ('running', 'succeeded', 'failed')),
    error        text
);
create index job_runs_job_started_idx on job_runs (job_name, started_at desc);
