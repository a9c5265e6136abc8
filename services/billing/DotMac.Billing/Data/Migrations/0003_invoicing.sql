-- Invoicing, payments, credit notes and dunning (docs/billing.md). Amounts are numeric(19,4) holding values already
-- rounded to the currency's minor unit (half away from zero).

-- Billing's copy of each tenant's billing settings (TenantBillingSettingsChanged from platform; defaults until the
-- first arrives), its own invoicing policy, and the per-tenant counters of gapless invoice and credit-note numbers
-- (taken under this row's lock in the transaction that issues, so a rollback gives the numbers back).
create table tenant_billing (
    tenant_id                 uuid primary key,
    settings_version          integer not null default 0,
    currency                  char(3),
    time_zone                 text not null default 'UTC',
    billing_day               integer not null default 1 check (billing_day between 1 and 28),
    tax_rates                 jsonb not null default '[]',
    reminder_days             integer[] not null default '{3}',
    suspend_after_days        integer not null default 14,
    terminate_after_days      integer not null default 30,
    payment_terms_days        integer not null default 14 check (payment_terms_days between 0 and 120),
    invoice_suspended         boolean not null default true,
    next_invoice_number       bigint not null default 1,
    next_credit_note_number   bigint not null default 1,
    updated_at                timestamptz not null default now()
);

alter table billing_accounts add column credit_balance numeric(19, 4) not null default 0 check (credit_balance >= 0);

-- billed_through: the last day the subscription has been invoiced for (its activation proration or a cycle).
-- suspended: services suspended it (dunning or staff); whether it is still invoiced is the tenant's invoice_suspended.
alter table subscriptions
    add column billed_through date,
    add column suspended boolean not null default false,
    add column ended_on date;
create index subscriptions_billable_idx on subscriptions (tenant_id, account_id) where status = 'active';
create index subscriptions_service_idx on subscriptions (tenant_id, service_id);

create table billing_cycles (
    id            uuid primary key,
    tenant_id     uuid not null,
    period_start  date not null,
    period_end    date not null,
    status        text not null default 'invoicing' check (status in ('invoicing', 'completed')),
    account_cursor uuid,
    batches       integer not null default 0,
    invoices      integer not null default 0,
    started_at    timestamptz not null default now(),
    completed_at  timestamptz,
    unique (tenant_id, period_start)
);

create table invoices (
    id              uuid primary key,
    tenant_id       uuid not null,
    account_id      uuid not null references billing_accounts (id),
    customer_id     uuid not null,
    cycle_id        uuid references billing_cycles (id),
    sequence        bigint,
    number          text,
    status          text not null check (status in ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'void')),
    currency        char(3) not null,
    period_start    date,
    period_end      date,
    lines_total     numeric(19, 4) not null default 0,
    net             numeric(19, 4) not null default 0,
    tax_total       numeric(19, 4) not null default 0,
    total           numeric(19, 4) not null default 0,
    amount_paid     numeric(19, 4) not null default 0,
    amount_credited numeric(19, 4) not null default 0,
    issued_at       timestamptz,
    due_at          timestamptz,
    settled_at      timestamptz,
    void_reason     text,
    dunning_stage   text not null default 'none' check (dunning_stage in ('none', 'overdue', 'reminded', 'suspended', 'terminated')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check ((status = 'draft') = (sequence is null))
);
create unique index invoices_number_key on invoices (tenant_id, sequence);
-- One invoice per account and cycle: a repeated or resumed cycle finds the first.
create unique index invoices_cycle_account_key on invoices (tenant_id, cycle_id, account_id);
create index invoices_account_idx on invoices (tenant_id, account_id, issued_at);
create index invoices_customer_idx on invoices (tenant_id, customer_id, issued_at);
create index invoices_due_idx on invoices (due_at) where status in ('issued', 'partially_paid');

create table invoice_lines (
    id              uuid primary key,
    tenant_id       uuid not null,
    invoice_id      uuid not null references invoices (id),
    position        integer not null,
    kind            text not null check (kind in ('recurring', 'proration_charge', 'proration_credit', 'one_time')),
    subscription_id uuid,
    service_id      uuid,
    description     text not null,
    period_start    date,
    period_end      date,
    amount          numeric(19, 4) not null,
    unique (invoice_id, position)
);
-- A subscription is charged once per period, whatever runs the cycle how often.
create unique index invoice_lines_recurring_key on invoice_lines (subscription_id, period_start) where kind = 'recurring';

create table invoice_taxes (
    invoice_id     uuid not null references invoices (id),
    tenant_id      uuid not null,
    position       integer not null,
    name           text not null,
    percent        numeric(7, 4) not null,
    inclusive      boolean not null,
    taxable_amount numeric(19, 4) not null,
    amount         numeric(19, 4) not null,
    primary key (invoice_id, position)
);

-- What the next invoice of an account takes besides its subscriptions' periods: prorations of activations, plan
-- changes and terminations, and one-time charges. source_key makes each one happen once.
create table pending_charges (
    id              uuid primary key,
    tenant_id       uuid not null,
    account_id      uuid not null references billing_accounts (id),
    subscription_id uuid,
    service_id      uuid,
    kind            text not null check (kind in ('proration_charge', 'proration_credit', 'one_time')),
    description     text not null,
    period_start    date,
    period_end      date,
    amount          numeric(19, 4) not null,
    source_key      text not null,
    invoice_id      uuid references invoices (id),
    created_at      timestamptz not null default now()
);
create unique index pending_charges_source_key on pending_charges (tenant_id, source_key);
create index pending_charges_open_idx on pending_charges (tenant_id, account_id) where invoice_id is null;

create table payments (
    id                 uuid primary key,
    tenant_id          uuid not null,
    account_id         uuid not null references billing_accounts (id),
    customer_id        uuid not null,
    method             text not null check (method in ('manual', 'bank_transfer', 'card')),
    amount             numeric(19, 4) not null check (amount > 0),
    currency           char(3) not null,
    status             text not null check (status in ('succeeded', 'declined', 'failed')),
    reference          text,
    provider_reference text,
    failure_reason     text,
    attempts           integer not null default 1,
    idempotency_key    text not null,
    request_hash       text not null,
    created_at         timestamptz not null default now()
);
create unique index payments_idempotency_key on payments (tenant_id, idempotency_key);
create index payments_account_idx on payments (tenant_id, account_id, created_at);

create table credit_notes (
    id              uuid primary key,
    tenant_id       uuid not null,
    account_id      uuid not null references billing_accounts (id),
    customer_id     uuid not null,
    sequence        bigint not null,
    number          text not null,
    invoice_id      uuid references invoices (id),
    payment_id      uuid references payments (id),
    amount          numeric(19, 4) not null check (amount > 0),
    currency        char(3) not null,
    reason          text not null,
    idempotency_key text not null,
    request_hash    text not null,
    created_at      timestamptz not null default now()
);
create unique index credit_notes_number_key on credit_notes (tenant_id, sequence);
create unique index credit_notes_idempotency_key on credit_notes (tenant_id, idempotency_key);

-- Money applied to invoices: from a payment, from the account's credit balance, or from a credit note.
create table allocations (
    id             uuid primary key,
    tenant_id      uuid not null,
    account_id     uuid not null references billing_accounts (id),
    invoice_id     uuid not null references invoices (id),
    source         text not null check (source in ('payment', 'credit', 'credit_note')),
    payment_id     uuid references payments (id),
    credit_note_id uuid references credit_notes (id),
    amount         numeric(19, 4) not null check (amount > 0),
    created_at     timestamptz not null default now()
);
create index allocations_invoice_idx on allocations (invoice_id);

-- The sandbox card processor's own ledger (it stands for the processor's side): one charge per charge key, so a
-- retried call never charges twice.
create table sandbox_card_charges (
    charge_key  text primary key,
    card_last4  text not null,
    amount      numeric(19, 4) not null,
    currency    char(3) not null,
    outcome     text not null check (outcome in ('approved', 'declined', 'pending')),
    attempts    integer not null default 1,
    created_at  timestamptz not null default now()
);
