-- SNMP monitoring: how to reach each device (credentials encrypted by the service with AES-GCM), its poll schedule
-- and reachability; the interfaces discovered on it.
alter table devices
    add column snmp_port             int not null default 161 check (snmp_port between 1 and 65535),
    add column snmp_version          text not null default 'v2c' check (snmp_version in ('v1', 'v2c', 'v3')),
    add column snmp_credentials      bytea,
    add column poll_interval_seconds int not null default 60 check (poll_interval_seconds between 1 and 86400),
    add column next_poll_at          timestamptz not null default now(),
    add column last_polled_at        timestamptz,
    add column last_error            text;
create index devices_next_poll_idx on devices (next_poll_at) where snmp_credentials is not null;

create table interfaces (
    id            uuid primary key,
    tenant_id     uuid not null,
    device_id     uuid not null references devices (id) on delete cascade,
    if_index      int not null,
    name          text not null,
    description   text not null,
    alias         text not null default '',
    if_type       int not null,
    speed_bps     bigint not null default 0,
    admin_status  int not null default 0,
    oper_status   int not null default 0,
    high_capacity boolean not null default false,
    discovered_at timestamptz not null default now(),
    unique (device_id, if_index)
);
create index interfaces_tenant_device_idx on interfaces (tenant_id, device_id);
