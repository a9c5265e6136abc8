-- Platform's feature flags: a tenant's staff read what is on for their tenant (feature_flags:read); platform staff
-- manage them (feature_flags:write, global: super_admin's "*").
insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000002', 'feature_flags', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000003', 'feature_flags', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000004', 'feature_flags', 'read', 'tenant'),
    ('00000000-0000-7000-8000-000000000005', 'feature_flags', 'read', 'tenant')
on conflict do nothing;
