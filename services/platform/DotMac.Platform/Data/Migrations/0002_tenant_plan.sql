-- The commercial plan of a tenant: the gateway's rate limits are per plan.
alter table tenants add column plan text not null default 'standard' check (plan in ('starter', 'standard', 'enterprise'));
