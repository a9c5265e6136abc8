-- Credentials, lockout and expiry of staff users; the tenants identity knows (from TenantCreated); roles and
-- their permissions; customers and their portal accounts; partner API clients; refresh tokens; signing keys.
alter table users
    add column password_hash        text,
    add column must_change_password boolean not null default false,
    add column password_changed_at  timestamptz,
    add column failed_attempts      integer not null default 0,
    add column locked_until         timestamptz,
    add column last_login_at        timestamptz;

create table tenants (
    id         uuid primary key,
    slug       text not null,
    name       text not null,
    plan       text not null,
    status     text not null,
    updated_at timestamptz not null default now()
);

-- Built-in roles have tenant_id null and are shared by every tenant; custom roles belong to one tenant.
create table roles (
    id          uuid primary key,
    tenant_id   uuid,
    name        text not null,
    description text not null default '',
    built_in    boolean not null default false,
    created_at  timestamptz not null default now(),
    constraint roles_name_format check (name ~ '^[a-z][a-z0-9_]{1,62}$')
);
create unique index roles_tenant_name_key on roles (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

create table role_permissions (
    role_id  uuid not null references roles (id) on delete cascade,
    resource text not null,
    action   text not null,
    scope    text not null check (scope in ('own', 'tenant', 'global')),
    primary key (role_id, resource, action)
);

create table user_roles (
    user_id uuid not null references users (id) on delete cascade,
    role_id uuid not null references roles (id),
    primary key (user_id, role_id)
);

create table customers (
    id         uuid primary key,
    tenant_id  uuid not null,
    kind       text not null check (kind in ('residential', 'business', 'enterprise')),
    name       text not null,
    email      text not null,
    phone      text,
    address    jsonb not null,
    created_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index customers_tenant_idx on customers (tenant_id, created_at, id);

create table portal_accounts (
    id                   uuid primary key,
    tenant_id            uuid not null,
    customer_id          uuid not null unique references customers (id) on delete cascade,
    portal_id            text not null unique check (portal_id ~ '^[A-HJ-NP-Z2-9]{8}$'),
    password_hash        text not null,
    status               text not null default 'pending' check (status in ('pending', 'active', 'disabled')),
    must_change_password boolean not null default true,
    password_changed_at  timestamptz not null default now(),
    failed_attempts      integer not null default 0,
    locked_until         timestamptz,
    activated_at         timestamptz,
    last_login_at        timestamptz,
    created_at           timestamptz not null default now()
);

create table api_clients (
    id          uuid primary key,
    tenant_id   uuid not null,
    client_id   text not null unique,
    name        text not null,
    secret_hash text not null,
    scopes      text[] not null,
    status      text not null default 'active' check (status in ('active', 'revoked')),
    created_at  timestamptz not null default now()
);

-- Opaque refresh tokens, stored as SHA-256 hashes. Each login starts a family; each use rotates to a new token of
-- the same family. Presenting a token that was already used revokes the whole family (it was stolen, or replayed).
create table refresh_tokens (
    id           uuid primary key,
    family_id    uuid not null,
    token_hash   bytea not null unique,
    subject_kind text not null check (subject_kind in ('staff', 'customer')),
    subject_id   uuid not null,
    tenant_id    uuid,
    issued_at    timestamptz not null,
    expires_at   timestamptz not null,
    used_at      timestamptz,
    revoked_at   timestamptz
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);

-- ECDSA P-256 signing keys. The private key is encrypted (AES-256-GCM) with a key that is never in this database.
-- A key is published from created_at, signs from activates_at, stops signing at retires_at, and leaves the JWKS
-- at expires_at (after every token it signed has expired).
create table signing_keys (
    kid                   text primary key,
    algorithm             text not null,
    public_key            bytea not null,
    private_key_encrypted bytea not null,
    created_at            timestamptz not null,
    activates_at          timestamptz not null,
    retires_at            timestamptz,
    expires_at            timestamptz
);

-- Built-in roles and their permissions ("*" matches any resource or action).
insert into roles (id, tenant_id, name, description, built_in) values
    ('00000000-0000-7000-8000-000000000001', null, 'super_admin',   'Operates the platform: every tenant, every resource', true),
    ('00000000-0000-7000-8000-000000000002', null, 'tenant_admin',  'Administers one tenant: users, roles, customers, clients', true),
    ('00000000-0000-7000-8000-000000000003', null, 'billing_clerk', 'Works the tenant''s billing; reads customers', true),
    ('00000000-0000-7000-8000-000000000004', null, 'noc_engineer',  'Runs the tenant''s network; reads customers', true),
    ('00000000-0000-7000-8000-000000000005', null, 'support_agent', 'Helps the tenant''s customers', true),
    ('00000000-0000-7000-8000-000000000006', null, 'reseller',      'Sells to customers of their own', true),
    ('00000000-0000-7000-8000-000000000007', null, 'customer',      'A customer reading their own account', true);

insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000001', '*', '*', 'global'),
    ('00000000-0000-7000-8000-000000000002', 'users', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'users', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'roles', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'roles', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'customers', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'customers', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'clients', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'clients', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'tenants', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'billing', '*', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'services', '*', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'network', '*', 'tenant'),
    ('00000000-0000-7000-8000-000000000003', 'customers', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000003', 'billing', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000003', 'billing', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'customers', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'network', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'network', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'services', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'customers', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'customers', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'services', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'billing', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000006', 'customers', 'read', 'own'),
    ('00000000-0000-7000-8000-000000000006', 'customers', 'write', 'own'),
    ('00000000-0000-7000-8000-000000000006', 'services', 'read', 'own'),
    ('00000000-0000-7000-8000-000000000007', 'customers', 'read', 'own'),
    ('00000000-0000-7000-8000-000000000007', 'billing', 'read', 'own'),
    ('00000000-0000-7000-8000-000000000007', 'services', 'read', 'own');
