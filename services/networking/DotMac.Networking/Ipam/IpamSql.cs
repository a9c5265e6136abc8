namespace DotMac.Networking.Ipam;

/// <summary>IPAM's statements. Every one names the tenant; addresses travel as text and are cast in SQL.</summary>
internal static class IpamSql
{
    const string PrefixColumns = "id, tenant_id, prefix::text as prefix, site, description, created_at";

    public const string InsertPrefix = $"""
        insert into ip_prefixes (id, tenant_id, prefix, site, description)
        values (@Id, @TenantId, @Prefix::cidr, @Site, @Description)
        returning {PrefixColumns}
        """;

    /// <summary>Prefixes of the tenant overlapping the given one (either contains the other).</summary>
    public const string OverlappingPrefix = "select prefix::text from ip_prefixes where tenant_id = @TenantId and prefix && @Prefix::cidr limit 1";

    public const string GetPrefix = $"select {PrefixColumns} from ip_prefixes where tenant_id = @TenantId and id = @Id";

    public const string ListPrefixes = $"""
        select {PrefixColumns} from ip_prefixes
        where tenant_id = @TenantId and (@Site::text is null or site = @Site)
        order by prefix limit @Limit offset @Offset
        """;

    public const string CountPrefixes = "select count(*) from ip_prefixes where tenant_id = @TenantId and (@Site::text is null or site = @Site)";

    public const string DeletePrefix = """
        delete from ip_prefixes p where p.tenant_id = @TenantId and p.id = @Id
        and not exists (select 1 from ip_pools where prefix_id = p.id)
        """;

    public const string PrefixHasPools = "select exists (select 1 from ip_pools where tenant_id = @TenantId and prefix_id = @Id)";

    /// <summary>Serialises the changes of one tenant's address plan (prefixes and pools must not overlap).</summary>
    public const string LockTenantPlan = "select pg_advisory_xact_lock(hashtextextended('ipam:' || @TenantId::text, 0))";

    const string PoolColumns = """
        p.id, p.tenant_id, p.prefix_id, p.name, p.network::text as network, p.assign_length, host(p.gateway) as gateway,
        p.description, p.next_hint, p.created_at, x.site
        """;

    /// <summary>A pool with what it hands out, for reading (never on the allocation path, which only locks).</summary>
    const string DescribedPoolColumns = $"""
        {PoolColumns},
        (select count(*) from ip_allocations a where a.pool_id = p.id and a.kind = 'allocated') as allocated,
        (select count(*) from ip_allocations a where a.pool_id = p.id and a.kind = 'reserved') as reserved
        """;

    const string PoolFrom = "from ip_pools p join ip_prefixes x on x.id = p.prefix_id";

    public const string InsertPool = """
        insert into ip_pools (id, tenant_id, prefix_id, name, network, assign_length, gateway, description, next_hint)
        values (@Id, @TenantId, @PrefixId, @Name, @Network::cidr, @AssignLength, @Gateway::inet, @Description, @NextHint)
        """;

    public const string OverlappingPool = "select name from ip_pools where tenant_id = @TenantId and network && @Network::cidr limit 1";

    public const string GetPool = $"select {DescribedPoolColumns} {PoolFrom} where p.tenant_id = @TenantId and p.id = @Id";

    /// <summary>The pool, locked until commit: allocations from one pool happen one at a time.</summary>
    public const string LockPool = $"select {PoolColumns} {PoolFrom} where p.tenant_id = @TenantId and p.id = @Id for update of p";

    public const string ListPools = $"""
        select {DescribedPoolColumns} {PoolFrom}
        where p.tenant_id = @TenantId and (@Site::text is null or x.site = @Site) and (@PrefixId::uuid is null or p.prefix_id = @PrefixId)
        order by p.name limit @Limit offset @Offset
        """;

    public const string CountPools = """
        select count(*) from ip_pools p join ip_prefixes x on x.id = p.prefix_id
        where p.tenant_id = @TenantId and (@Site::text is null or x.site = @Site) and (@PrefixId::uuid is null or p.prefix_id = @PrefixId)
        """;

    public const string PoolHasAllocations = """
        select exists (select 1 from ip_allocations where tenant_id = @TenantId and pool_id = @Id and not (kind = 'reserved' and reference = 'gateway'))
        """;

    public const string DeletePoolAllocations = "delete from ip_allocations where tenant_id = @TenantId and pool_id = @Id";

    public const string DeletePool = "delete from ip_pools where tenant_id = @TenantId and id = @Id";

    const string AllocationColumns = "id, tenant_id, pool_id, block_index, address::text as address, kind, reference, description, created_at";

    public const string FindByReference = $"""
        select {AllocationColumns} from ip_allocations where tenant_id = @TenantId and pool_id = @PoolId and reference = @Reference
        """;

    public const string FindByReferenceAnyPool = $"""
        select {AllocationColumns} from ip_allocations where tenant_id = @TenantId and reference = @Reference order by created_at
        """;

    public const string GetAllocation = $"select {AllocationColumns} from ip_allocations where tenant_id = @TenantId and pool_id = @PoolId and id = @Id";

    public const string ListAllocations = $"""
        select {AllocationColumns} from ip_allocations where tenant_id = @TenantId and pool_id = @PoolId
        order by block_index limit @Limit offset @Offset
        """;

    /// <summary>
    /// The lowest free block at or above the hint: the hint itself if free, else the block after the first taken one
    /// (from the hint up) whose successor is free. Walks the (pool_id, block_index) index; stops at the first gap.
    /// </summary>
    public const string NextFree = """
        select coalesce(
            (select @Hint where not exists (select 1 from ip_allocations where pool_id = @PoolId and block_index = @Hint)),
            (select a.block_index + 1 from ip_allocations a
             where a.pool_id = @PoolId and a.block_index >= @Hint
               and not exists (select 1 from ip_allocations b where b.pool_id = @PoolId and b.block_index = a.block_index + 1)
             order by a.block_index limit 1))
        """;

    public const string InsertAllocation = $"""
        insert into ip_allocations (id, tenant_id, pool_id, block_index, address, kind, reference, description)
        values (@Id, @TenantId, @PoolId, @BlockIndex, @Address::cidr, @Kind, @Reference, @Description)
        returning {AllocationColumns}
        """;

    public const string SetHint = "update ip_pools set next_hint = @NextHint where tenant_id = @TenantId and id = @PoolId";

    public const string DeleteAllocation = $"delete from ip_allocations where tenant_id = @TenantId and pool_id = @PoolId and id = @Id returning {AllocationColumns}";

    /// <summary>A released block below the hint becomes the next candidate.</summary>
    public const string LowerHint = "update ip_pools set next_hint = least(next_hint, @BlockIndex) where tenant_id = @TenantId and id = @PoolId";
}
