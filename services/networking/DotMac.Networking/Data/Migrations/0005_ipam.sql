-- IP address management: a tenant's prefixes (per site), the pools cut from them, and what each pool has handed out.
-- A pool is its network divided into equal blocks of assign_length (/32 or /128 addresses, or delegated IPv6
-- prefixes such as /56); a block is addressed by its index (0 = the network's first block).
create table ip_prefixes (
    id          uuid primary key,
    tenant_id   uuid not null,
    prefix      cidr not null,
    site        text,
    description text,
    created_at  timestamptz not null default now()
);
create unique index ip_prefixes_tenant_prefix_key on ip_prefixes (tenant_id, prefix);

create table ip_pools (
    id            uuid primary key,
    tenant_id     uuid not null,
    prefix_id     uuid not null references ip_prefixes (id),
    name          text not null,
    network       cidr not null,
    assign_length int not null,
    gateway       inet,
    description   text,
    -- Every usable block below next_hint is taken: the search for a free one starts here.
    next_hint     numeric(20, 0) not null,
    created_at    timestamptz not null default now(),
    check (assign_length between masklen(network) and case when family(network) = 4 then 32 else 128 end),
    check (assign_length - masklen(network) <= 64)
);
create unique index ip_pools_tenant_name_key on ip_pools (tenant_id, name);
create index ip_pools_tenant_network_idx on ip_pools (tenant_id, network);
create index ip_pools_prefix_idx on ip_pools (prefix_id);

create table ip_allocations (
    id          uuid primary key,
    tenant_id   uuid not null,
    pool_id     uuid not null references ip_pools (id),
    block_index numeric(20, 0) not null,
    address     cidr not null,
    kind        text not null check (kind in ('allocated', 'reserved')),
    -- Who holds it (a service order, a subscriber): allocating again for the same reference returns this row.
    reference   text,
    description text,
    created_at  timestamptz not null default now()
);
create unique index ip_allocations_pool_block_key on ip_allocations (pool_id, block_index);
create unique index ip_allocations_pool_reference_key on ip_allocations (pool_id, reference) where reference is not null;
create index ip_allocations_tenant_reference_idx on ip_allocations (tenant_id, reference) where reference is not null;
