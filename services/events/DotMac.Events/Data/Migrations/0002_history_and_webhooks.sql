-- 0001's event_log never received a row (nothing consumed events yet); the history replaces it.
drop table event_log;
drop function event_log_append_only();

-- The append-only history of every integration event. Partitioned by the day each row expires (occurred_at plus its
-- tenant's retention when it was recorded), one partition per month: retention is dropping the partitions whose
-- month has passed, so every tenant keeps its own retention without a single DELETE. Partitions are created ahead
-- by HistoryPartitions; a row without one is refused (and retried once the partition exists), never misplaced.
create sequence event_history_sequence;
create table event_history (
    message_id      uuid not null,
    tenant_id       uuid not null,
    event_type      text not null,
    contract        text not null,
    occurred_at     timestamptz not null,
    recorded_at     timestamptz not null default now(),
    correlation_id  uuid,
    conversation_id uuid,
    causation_id    uuid,
    trace_id        text,
    subject_ids     uuid[] not null default '{}',
    payload         jsonb not null,
    expires_on      date not null,
    sequence        bigint not null default nextval('event_history_sequence'),
    primary key (message_id, expires_on)
) partition by range (expires_on);
create index event_history_tenant_time_idx on event_history (tenant_id, occurred_at, message_id);
create index event_history_time_idx on event_history (occurred_at, message_id);
create index event_history_type_idx on event_history (tenant_id, event_type, occurred_at);
create index event_history_correlation_idx on event_history (correlation_id) where correlation_id is not null;
create index event_history_subjects_idx on event_history using gin (subject_ids);

-- Append-only means it: history is never edited in place (dropping a whole expired partition is not a row change).
create function event_history_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'event_history is append-only';
end $$;
create trigger event_history_no_change before update or delete on event_history
    for each row execute function event_history_append_only();

-- Days each tenant keeps its history; a tenant without a row keeps the default (Events:History:DefaultRetentionDays).
create table tenant_retention (
    tenant_id      uuid primary key,
    retention_days integer not null check (retention_days between 1 and 3650),
    updated_at     timestamptz not null default now()
);

-- Partner webhooks. The secret signs; it is shown once (creation, rotation) and never answered again. A rotated-out
-- secret keeps signing beside the new one until previous_secret_expires_at.
create table webhook_subscriptions (
    id                         uuid primary key,
    tenant_id                  uuid not null,
    url                        text not null,
    description                text,
    event_types                text[] not null,
    active                     boolean not null default true,
    secret                     text not null,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    disabled_reason            text,
    failing_since              timestamptz,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now(),
    lease_owner                uuid
);
create index webhook_subscriptions_tenant_idx on webhook_subscriptions (tenant_id, created_at);

-- Each running dispatcher (one per events instance) and until when it is known alive. A subscription's lease is its
-- owner's: held while the owner's heartbeat is fresh, free the moment it is not (a killed instance's subscriptions are
-- taken over within seconds, without waiting out a lease).
create table webhook_dispatchers (
    owner       uuid primary key,
    alive_until timestamptz not null
);

-- One row per event and subscription (and per replay): the body is the event's payload as recorded.
create sequence webhook_delivery_sequence;
create table webhook_deliveries (
    id               uuid primary key,
    tenant_id        uuid not null,
    subscription_id  uuid not null references webhook_subscriptions (id) on delete cascade,
    message_id       uuid not null,
    event_type       text not null,
    occurred_at      timestamptz not null,
    payload          text not null,
    status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null default now(),
    first_attempt_at timestamptz,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    last_error       text,
    replay_id        uuid,
    created_at       timestamptz not null default now(),
    sequence         bigint not null default nextval('webhook_delivery_sequence')
);
-- An event reaches a subscription once, however often it is redelivered to the events service; replays are extra rows.
create unique index webhook_deliveries_once_idx on webhook_deliveries (subscription_id, message_id) where replay_id is null;
-- Each subscription's queue, in the order it is delivered.
create index webhook_deliveries_queue_idx on webhook_deliveries (subscription_id, occurred_at, sequence) where status = 'pending';
create index webhook_deliveries_list_idx on webhook_deliveries (subscription_id, created_at desc);

create table webhook_attempts (
    id               uuid primary key,
    delivery_id      uuid not null references webhook_deliveries (id) on delete cascade,
    tenant_id        uuid not null,
    number           integer not null,
    attempted_at     timestamptz not null,
    status_code      integer,
    latency_ms       double precision not null,
    error            text,
    response_excerpt text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, number);
