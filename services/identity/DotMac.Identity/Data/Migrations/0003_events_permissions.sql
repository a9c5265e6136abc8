-- The events service: the history (events:read) and webhook subscriptions (webhooks:read, webhooks:write) of the tenant.
-- Platform staff set a tenant's retention (events:write, global: super_admin's "*").
insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000002', 'events', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'webhooks', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000002', 'webhooks', 'write', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'events', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'events', 'read', 'tenant')
on conflict do nothing;
