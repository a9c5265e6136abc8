-- Read model: subscribers per tenant per day, built from events (never from another service's tables).
create table subscriber_daily (
    tenant_id   uuid not null,
    day         date not null,
    active      integer not null default 0 check (active >= 0),
    activated   integer not null default 0 check (activated >= 0),
    suspended   integer not null default 0 check (suspended >= 0),
    terminated  integer not null default 0 check (terminated >= 0),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, day)
);
