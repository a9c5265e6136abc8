-- Interface traffic: one row per interface per poll, range-partitioned by day (partitions are created ahead and
-- dropped after the retention by the service's PartitionMaintenance), and rollups at 5 minutes and 1 hour.
create table interface_samples (
    tenant_id        uuid not null,
    interface_id     uuid not null,
    sampled_at       timestamptz not null,
    in_bps           double precision not null,
    out_bps          double precision not null,
    in_octets        bigint not null,
    out_octets       bigint not null,
    interval_seconds real not null
) partition by range (sampled_at);
create index interface_samples_lookup_idx on interface_samples (tenant_id, interface_id, sampled_at);

create table interface_rollups_5m (
    tenant_id    uuid not null,
    interface_id uuid not null,
    bucket       timestamptz not null,
    in_bps_avg   double precision not null,
    out_bps_avg  double precision not null,
    in_bps_max   double precision not null,
    out_bps_max  double precision not null,
    samples      int not null,
    primary key (tenant_id, interface_id, bucket)
);

create table interface_rollups_1h (like interface_rollups_5m including all);

-- One day's partition, named after its day; a no-op when it exists.
create function ensure_interface_samples_partition(day date) returns void language plpgsql as $$
begin
    execute format('create table if not exists %I partition of interface_samples for values from (%L) to (%L)',
        'interface_samples_' || to_char(day, 'YYYYMMDD'), day::timestamptz, (day + 1)::timestamptz);
end $$;
