-- Analytics' rebuild from the event history (analytics:write) for tenant admins; platform staff hold "*".
insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000002', 'analytics', 'write', 'tenant')
on conflict do nothing;
