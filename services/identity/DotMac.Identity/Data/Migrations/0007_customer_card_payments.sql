-- A customer pays their own invoices by card from the self-service portal (payments:write:own). Billing accepts it for
-- the card method and the customer's own account only; staff keep billing:write for every method.
insert into role_permissions (role_id, resource, action, scope) values
    ('00000000-0000-7000-8000-000000000007', 'payments', 'write', 'own')
on conflict do nothing;
