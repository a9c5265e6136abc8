namespace DotMac.Networking.Data;

/// <summary>Interface samples, their partitions and rollups.</summary>
internal static class SampleSql
{
    public const string Copy = """
        copy interface_samples (tenant_id, interface_id, sampled_at, in_bps, out_bps, in_octets, out_octets, interval_seconds)
        from stdin (format binary)
        """;

    public const string EnsurePartition = "select ensure_interface_samples_partition(@Day::date)";

    /// <summary>Partitions wholly older than the cutoff; names come from the catalog, never from input.</summary>
    public const string ExpiredPartitions = """
        select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent
        where p.relname = 'interface_samples' and c.relname ~ '^interface_samples_[0-9]{8}$'
          and to_date(substring(c.relname from '[0-9]{8}$'), 'YYYYMMDD') < @Cutoff::date
        """;

    public const string Rollup5m = $"insert into interface_rollups_5m {RollupColumns} select tenant_id, interface_id, date_bin('5 minutes', {RollupFrom}";

    public const string Rollup1h = $"insert into interface_rollups_1h {RollupColumns} select tenant_id, interface_id, date_bin('1 hour', {RollupFrom}";

    const string RollupColumns = "(tenant_id, interface_id, bucket, in_bps_avg, out_bps_avg, in_bps_max, out_bps_max, samples)";

    // Recomputes whole buckets from the raw samples in [From, To), so running it again changes nothing.
    const string RollupFrom = """
        sampled_at, timestamptz '2000-01-01'), avg(in_bps), avg(out_bps), max(in_bps), max(out_bps), count(*)
        from interface_samples where sampled_at >= @From and sampled_at < @To
        group by 1, 2, 3
        on conflict (tenant_id, interface_id, bucket) do update set
            in_bps_avg = excluded.in_bps_avg, out_bps_avg = excluded.out_bps_avg, in_bps_max = excluded.in_bps_max,
            out_bps_max = excluded.out_bps_max, samples = excluded.samples
        """;

    public const string Series = """
        select date_bin(@Bucket, sampled_at, timestamptz '2000-01-01') as Bucket, avg(in_bps) as InBps, avg(out_bps) as OutBps,
               max(in_bps) as MaxInBps, max(out_bps) as MaxOutBps, count(*)::int as Samples
        from interface_samples
        where tenant_id = @TenantId and interface_id = @InterfaceId and sampled_at >= @From and sampled_at < @To
        group by 1 order by 1
        """;

    public const string Top = """
        select s.interface_id as InterfaceId, i.device_id as DeviceId, i.name as Name, avg(s.in_bps) as InBps, avg(s.out_bps) as OutBps,
               avg(s.in_bps + s.out_bps) as TotalBps
        from interface_samples s join interfaces i on i.id = s.interface_id and i.tenant_id = s.tenant_id
        where s.tenant_id = @TenantId and s.sampled_at >= @From and s.sampled_at < @To
        group by s.interface_id, i.device_id, i.name
        order by TotalBps desc limit @Limit
        """;
}
