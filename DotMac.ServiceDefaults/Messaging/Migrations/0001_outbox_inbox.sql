-- DotMac's shared messaging tables, in every service database (schema "messaging").
-- outbox_message: integration events written in the same transaction as the change that caused them.
--   Rows with inbox_message_id are a consumer's outgoing messages (delivered by the consume filter after commit);
--   rows without it belong to the bus outbox (API handlers, background work) and are delivered by the dispatcher.
create table messaging.outbox_message (
    sequence_number     bigint generated always as identity primary key,
    inbox_message_id    uuid,
    inbox_consumer_id   uuid,
    message_id          uuid not null,
    conversation_id     uuid,
    correlation_id      uuid,
    initiator_id        uuid,
    request_id          uuid,
    source_address      text,
    destination_address text not null,
    response_address    text,
    fault_address       text,
    content_type        text not null,
    clr_type            text,
    body                text not null,
    headers             text,
    properties          text,
    trace_parent        text,
    sent_time           timestamptz not null,
    enqueue_time        timestamptz,
    expiration_time     timestamptz,
    created_at          timestamptz not null default clock_timestamp(),
    check ((inbox_message_id is null) = (inbox_consumer_id is null))
);

-- The dispatcher's queue: bus-outbox rows in commit order.
create index outbox_message_bus on messaging.outbox_message (sequence_number) where inbox_message_id is null;
create index outbox_message_inbox on messaging.outbox_message (inbox_message_id, inbox_consumer_id, sequence_number)
    where inbox_message_id is not null;

-- inbox_state: one row per (message, consumer) handled; the row lock serialises redeliveries of one message,
-- "consumed" says its effects committed, "delivered" that its outgoing messages left.
create table messaging.inbox_state (
    message_id           uuid not null,
    consumer_id          uuid not null,
    received             timestamptz not null default clock_timestamp(),
    receive_count        integer not null default 1,
    consumed             timestamptz,
    delivered            timestamptz,
    last_sequence_number bigint,
    primary key (message_id, consumer_id)
);

create index inbox_state_delivered on messaging.inbox_state (delivered) where delivered is not null;

-- saga_instance: state machine instances, one row per (saga type, correlation id), the instance as jsonb and its
-- state as a column to query by. "version" is the optimistic-concurrency token: an update that finds another version
-- lost a race and is retried from a fresh load.
create table messaging.saga_instance (
    saga_type      text not null,
    correlation_id uuid not null,
    current_state  text,
    data           jsonb not null,
    version        integer not null,
    created_at     timestamptz not null default clock_timestamp(),
    updated_at     timestamptz not null default clock_timestamp(),
    primary key (saga_type, correlation_id)
);

create index saga_instance_state on messaging.saga_instance (saga_type, current_state);
