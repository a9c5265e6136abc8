-- A plan's commercial and technical terms, one row per version. Changing a plan adds a version; a service order
-- records the version it bought and keeps it. plans.version is the current one.
create table plan_versions (
    plan_id                uuid not null references plans (id),
    version                integer not null check (version > 0),
    tenant_id              uuid not null,
    download_mbps          integer not null check (download_mbps > 0),
    upload_mbps            integer not null check (upload_mbps > 0),
    burst_download_mbps    integer check (burst_download_mbps >= download_mbps),
    burst_upload_mbps      integer check (burst_upload_mbps >= upload_mbps),
    burst_seconds          integer check (burst_seconds > 0),
    data_cap_gb            integer check (data_cap_gb > 0),
    fair_use_download_mbps integer check (fair_use_download_mbps > 0),
    fair_use_upload_mbps   integer check (fair_use_upload_mbps > 0),
    price                  numeric(19, 4) not null check (price >= 0),
    currency               char(3) not null check (currency ~ '^[A-Z]{3}$'),
    billing_period         text not null check (billing_period in ('monthly', 'quarterly', 'yearly')),
    created_at             timestamptz not null default now(),
    primary key (plan_id, version)
);
create index plan_versions_tenant_idx on plan_versions (tenant_id);
