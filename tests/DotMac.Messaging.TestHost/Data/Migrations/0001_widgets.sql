create table widgets (
    id         uuid primary key,
    batch      uuid not null,
    created_at timestamptz not null default now()
);

-- What consumers did. No unique key on purpose: a message handled twice would show as two rows.
create table effects (
    kind       text not null,
    subject    uuid not null,
    message_id uuid,
    at         timestamptz not null default clock_timestamp()
);
create index effects_subject on effects (kind, subject);

-- A poison pill is cured (stops throwing) once its id is here.
create table cures (
    id uuid primary key
);
