-- Network devices a tenant monitors and provisions onto. SNMP credentials, interfaces and IPAM come later.
create table devices (
    id                 uuid primary key,
    tenant_id          uuid not null,
    name               text not null,
    site               text,
    management_address inet not null,
    status             text not null default 'unknown' check (status in ('unknown', 'up', 'down', 'maintenance')),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create unique index devices_tenant_name_key on devices (tenant_id, name);
create index devices_tenant_address_idx on devices (tenant_id, management_address);
