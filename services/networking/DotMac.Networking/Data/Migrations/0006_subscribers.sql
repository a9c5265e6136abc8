-- Subscribers' network access, in the tables FreeRADIUS's rlm_sql (postgresql dialect) reads: radcheck, radreply,
-- radgroupcheck, radgroupreply, radusergroup, and radpostauth/radacct which it writes. Column names are the ones its
-- queries use; tenant_id and subscriber_id are ours (FreeRADIUS ignores them). Usernames are global in RADIUS, so
-- a username belongs to one subscriber across all tenants. Rows here are derived from `subscribers` and rewritten
-- whole whenever a subscriber changes.
create table subscribers (
    id                  uuid primary key,           -- the service order that provisioned it
    tenant_id           uuid not null,
    service_id          uuid not null,
    username            text not null,
    password            text not null,              -- FreeRADIUS needs it in clear for CHAP/MS-CHAP
    address             text not null,
    download_kbps       integer not null,
    upload_kbps         integer not null,
    burst_download_kbps integer,
    burst_upload_kbps   integer,
    burst_seconds       integer,
    suspended           boolean not null default false,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);
create unique index subscribers_username_key on subscribers (username);
create unique index subscribers_tenant_service_key on subscribers (tenant_id, service_id);

-- What a tenant's suspended subscribers get: rejected, or let into a walled-garden group (its replies override).
create table subscriber_policies (
    tenant_id               uuid primary key,
    suspended_action        text not null default 'reject' check (suspended_action in ('reject', 'walled_garden')),
    walled_garden_rate      text not null default '256k/256k',
    walled_garden_list      text not null default 'walled-garden',
    updated_at              timestamptz not null default now()
);

create table radcheck (
    id            serial primary key,
    username      text not null default '',
    attribute     text not null default '',
    op            varchar(2) not null default '==',
    value         text not null default '',
    tenant_id     uuid,
    subscriber_id uuid
);
create index radcheck_username_idx on radcheck (username, attribute);
create index radcheck_subscriber_idx on radcheck (subscriber_id);

create table radreply (
    id            serial primary key,
    username      text not null default '',
    attribute     text not null default '',
    op            varchar(2) not null default '=',
    value         text not null default '',
    tenant_id     uuid,
    subscriber_id uuid
);
create index radreply_username_idx on radreply (username, attribute);
create index radreply_subscriber_idx on radreply (subscriber_id);

create table radgroupcheck (
    id        serial primary key,
    groupname text not null default '',
    attribute text not null default '',
    op        varchar(2) not null default '==',
    value     text not null default '',
    tenant_id uuid
);
create index radgroupcheck_groupname_idx on radgroupcheck (groupname, attribute);

create table radgroupreply (
    id        serial primary key,
    groupname text not null default '',
    attribute text not null default '',
    op        varchar(2) not null default '=',
    value     text not null default '',
    tenant_id uuid
);
create index radgroupreply_groupname_idx on radgroupreply (groupname, attribute);

create table radusergroup (
    id            serial primary key,
    username      text not null default '',
    groupname     text not null default '',
    priority      integer not null default 0,
    tenant_id     uuid,
    subscriber_id uuid
);
create index radusergroup_username_idx on radusergroup (username);
create index radusergroup_subscriber_idx on radusergroup (subscriber_id);

create table radpostauth (
    id               bigserial primary key,
    username         text not null,
    pass             text,
    reply            text,
    calledstationid  text,
    callingstationid text,
    authdate         timestamptz not null default now(),
    class            text
);

create table radacct (
    radacctid           bigserial primary key,
    acctsessionid       text not null,
    acctuniqueid        text not null unique,
    username            text,
    realm               text,
    nasipaddress        inet not null,
    nasportid           text,
    nasporttype         text,
    acctstarttime       timestamptz,
    acctupdatetime      timestamptz,
    acctstoptime        timestamptz,
    acctinterval        bigint,
    acctsessiontime     bigint,
    acctauthentic       text,
    connectinfo_start   text,
    connectinfo_stop    text,
    acctinputoctets     bigint,
    acctoutputoctets    bigint,
    calledstationid     text,
    callingstationid    text,
    acctterminatecause  text,
    servicetype         text,
    framedprotocol      text,
    framedipaddress     inet,
    framedipv6address   inet,
    framedipv6prefix    inet,
    framedinterfaceid   text,
    delegatedipv6prefix inet,
    class               text
);
create index radacct_username_idx on radacct (username);
create index radacct_active_session_idx on radacct (acctuniqueid) where acctstoptime is null;
