-- The durable message scheduler: every ScheduleMessage / ScheduleRecurringMessage MassTransit sends to the
-- dotmac-scheduler queue, as the MassTransit envelope to send when due.
create table scheduled_messages (
    token_id        uuid primary key,
    schedule_id     text,
    schedule_group  text,
    destination     text not null,
    envelope        text not null,
    message_types   text[] not null,
    due_at          timestamptz not null,
    cron            text,
    time_zone       text,
    end_at          timestamptz,
    paused          boolean not null default false,
    fired_count     integer not null default 0,
    last_fired_at   timestamptz,
    created_at      timestamptz not null default now(),
    check ((schedule_id is null) = (cron is null))
);

create unique index scheduled_messages_recurring on scheduled_messages (schedule_group, schedule_id) where schedule_id is not null;
create index scheduled_messages_due on scheduled_messages (due_at) where not paused;

-- A cancellation may overtake its schedule on the bus; the tombstone keeps the late schedule from ever firing.
create table cancelled_schedules (
    token_id     uuid primary key,
    cancelled_at timestamptz not null default now()
);
