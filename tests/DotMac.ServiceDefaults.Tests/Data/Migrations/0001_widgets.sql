create table widgets (id uuid primary key, tenant_id uuid not null, name text not null);
