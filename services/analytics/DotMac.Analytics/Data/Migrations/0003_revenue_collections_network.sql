-- Money and the network, still from integration events only, one row per fact, figures computed at query time from
-- the events' own times (a repeat changes nothing, a late arrival sorts into its place):
-- * service_transitions gain the price of an activation or a plan change (ServiceActivated's new fields,
--   ServicePlanChanged) and its monthly equivalent (quarterly / 3, yearly / 12): MRR and its movements;
-- * invoices (InvoiceIssued, keyed by invoice) and invoice_changes (InvoiceBalanceChanged, InvoiceSettled: the
--   balance left after each change; a balance only goes down, so the lowest one before an instant is the balance then);
-- * payments (PaymentReceived) and credit_notes (CreditNoteIssued): money collected and credited;
-- * device_transitions (DeviceDown, DeviceUp): which devices are down, and for how long.

alter table service_transitions
    add column price          numeric,
    add column currency       text,
    add column billing_period text,
    add column monthly_price  numeric;
alter table service_transitions drop constraint service_transitions_kind_check;
alter table service_transitions add constraint service_transitions_kind_check
    check (kind in ('submitted', 'activated', 'failed', 'suspended', 'resumed', 'terminated', 'plan_changed'));
create index service_transitions_tenant_plan on service_transitions (tenant_id, service_id, occurred_at desc) where kind in ('activated', 'plan_changed');

create table invoices (
    invoice_id  uuid primary key,
    tenant_id   uuid not null,
    customer_id uuid not null,
    number      text not null,
    total       numeric not null,
    amount_due  numeric not null,
    currency    text not null,
    issued_at   timestamptz not null,
    due_at      timestamptz not null
);
create index invoices_tenant_issued on invoices (tenant_id, issued_at);

create table invoice_changes (
    message_id  uuid primary key,
    tenant_id   uuid not null,
    invoice_id  uuid not null,
    amount_due  numeric not null,
    status      text not null,
    occurred_at timestamptz not null
);
create index invoice_changes_invoice on invoice_changes (tenant_id, invoice_id, occurred_at);

create table payments (
    payment_id  uuid primary key,
    tenant_id   uuid not null,
    customer_id uuid not null,
    amount      numeric not null,
    currency    text not null,
    method      text not null,
    occurred_at timestamptz not null
);
create index payments_tenant_time on payments (tenant_id, occurred_at);

create table credit_notes (
    credit_note_id uuid primary key,
    tenant_id      uuid not null,
    customer_id    uuid not null,
    invoice_id     uuid,
    amount         numeric not null,
    currency       text not null,
    occurred_at    timestamptz not null
);
create index credit_notes_tenant_time on credit_notes (tenant_id, occurred_at);

create table device_transitions (
    message_id  uuid primary key,
    tenant_id   uuid not null,
    device_id   uuid not null,
    device_name text not null,
    kind        text not null check (kind in ('down', 'up')),
    occurred_at timestamptz not null
);
create index device_transitions_device on device_transitions (tenant_id, device_id, occurred_at);

-- Every service of a tenant as it stood just before an instant: its state (the last activated/suspended/resumed/
-- terminated event; a termination wins a tie, then a suspension), its plan and monthly price (the last activation or plan change;
-- no price when that event predates prices on the bus).
create function service_states_at(p_tenant uuid, p_at timestamptz)
returns table (service_id uuid, state text, plan_id uuid, monthly_price numeric, currency text)
language sql stable as $$
    select s.service_id, case s.kind when 'resumed' then 'active' when 'activated' then 'active' else s.kind end, p.plan_id, p.monthly_price, p.currency
    from (
        select distinct on (t.service_id) t.service_id, t.kind
        from service_transitions t
        where t.tenant_id = p_tenant and t.kind in ('activated', 'suspended', 'resumed', 'terminated') and t.occurred_at < p_at
        order by t.service_id, t.occurred_at desc, case t.kind when 'terminated' then 0 when 'suspended' then 1 else 2 end
    ) as s
    left join lateral (
        select t.plan_id, t.monthly_price, t.currency
        from service_transitions t
        where t.tenant_id = p_tenant and t.service_id = s.service_id and t.kind in ('activated', 'plan_changed') and t.occurred_at < p_at
        order by t.occurred_at desc
        limit 1
    ) as p on true
$$;
