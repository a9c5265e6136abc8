-- Rebuilds of a tenant's read models from the events service's history (HistoryRebuilds): what was asked, how far
-- it got, how it ended. One runs per tenant at a time. A rebuild whose heartbeat (updated_at) stopped, because its
-- process died, is failed by the next start of analytics.
create table rebuilds (
    id             uuid primary key,
    tenant_id      uuid not null,
    status         text not null check (status in ('running', 'succeeded', 'failed')),
    requested_by   text not null,
    events_read    bigint not null default 0,
    events_applied bigint not null default 0,
    rows_from_live bigint,
    error          text,
    started_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    finished_at    timestamptz
);
create unique index rebuilds_one_running on rebuilds (tenant_id) where status = 'running';
create index rebuilds_tenant on rebuilds (tenant_id, started_at desc);
