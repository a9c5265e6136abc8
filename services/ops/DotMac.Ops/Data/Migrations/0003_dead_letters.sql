-- Messages that exhausted their retries and redeliveries, moved here from the services' _error queues so they can
-- be read, replayed to their queue, or discarded.
create table dead_letters (
    id              uuid primary key,
    queue           text not null,
    input_queue     text not null,
    message_id      uuid,
    message_types   text[] not null default '{}',
    content_type    text,
    body            bytea not null,
    headers         jsonb not null default '{}',
    exception_type  text,
    exception       text,
    faulted_at      timestamptz,
    collected_at    timestamptz not null default now(),
    status          text not null default 'dead' check (status in ('dead', 'replayed', 'discarded')),
    resolved_at     timestamptz
);

create unique index dead_letters_message on dead_letters (queue, message_id) where message_id is not null;
create index dead_letters_queue on dead_letters (queue, collected_at desc) where status = 'dead';
