-- The analytics service: a tenant's figures (analytics:read) for its admins and billing clerks; platform staff hold "*".
insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000002', 'analytics', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000003', 'analytics', 'read', 'tenant')
on conflict do nothing;
