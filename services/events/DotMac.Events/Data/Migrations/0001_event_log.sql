-- The append-only history of every integration event, keyed by MassTransit's message id (a redelivery is a no-op).
create table event_log (
    message_id   uuid primary key,
    tenant_id    uuid not null,
    message_type text not null,
    occurred_at  timestamptz not null,
    recorded_at  timestamptz not null default now(),
    payload      jsonb not null
);
create index event_log_tenant_time_idx on event_log (tenant_id, occurred_at);
create index event_log_type_time_idx on event_log (message_type, occurred_at);

-- Append-only means it: history is never edited in place.
create function event_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'event_log is append-only';
end $$;
create trigger event_log_no_update before update or delete on event_log
    for each row execute function event_log_append_only();
