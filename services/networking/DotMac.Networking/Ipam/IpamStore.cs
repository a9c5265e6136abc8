using System.Net;
using Dapper;
using DotMac.Contracts.Networking;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;
using MassTransit;
using Npgsql;

namespace DotMac.Networking.Ipam;

/// <summary>
/// IP address management for one tenant: prefixes, pools and allocations. Every change runs in the caller's
/// <see cref="DbSession"/> transaction with the events it publishes (outbox). Allocation locks the pool row, so
/// concurrent allocations from one pool never hand out one block twice; a reference (who holds the block) makes
/// allocating again for the same holder return what it already has.
/// </summary>
internal sealed class IpamStore(DbSession session, IPublishEndpoint publish, TimeProvider clock)
{
    public const string GatewayReference = "gateway";
    const int MaxText = 200;

    public async Task<PrefixRow> CreatePrefixAsync(Guid tenantId, CreatePrefixRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!PoolLayout.TryParseNetwork(request.Prefix, out var prefix))
            errors["prefix"] = ["A prefix in CIDR notation with no host bits set (e.g. 100.64.0.0/16)."];
        CheckText(errors, "site", request.Site);
        CheckText(errors, "description", request.Description);
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        await session.BeginAsync(cancellationToken);
        await LockPlanAsync(tenantId, cancellationToken);
        var overlapping = await session.Connection.ExecuteScalarAsync<string?>(Command(IpamSql.OverlappingPrefix, new { TenantId = tenantId, Prefix = prefix.ToString() }, cancellationToken));
        if (overlapping is not null)
            throw new ConflictException($"{prefix} overlaps the tenant's prefix {overlapping}.", "ip_prefix.overlaps");
        var row = await session.Connection.QuerySingleAsync<PrefixRow>(Command(IpamSql.InsertPrefix, new
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Prefix = prefix.ToString(),
            Site = Clean(request.Site),
            Description = Clean(request.Description),
        }, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return row;
    }

    public async Task DeletePrefixAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        await LockPlanAsync(tenantId, cancellationToken);
        if (await session.Connection.ExecuteAsync(Command(IpamSql.DeletePrefix, new { TenantId = tenantId, Id = id }, cancellationToken)) == 0)
        {
            if (await session.Connection.ExecuteScalarAsync<bool>(Command(IpamSql.PrefixHasPools, new { TenantId = tenantId, Id = id }, cancellationToken)))
                throw new ConflictException("The prefix still has pools; delete them first.", "ip_prefix.in_use");
            throw new NotFoundException("IpPrefix", id);
        }
        await session.CommitAsync(cancellationToken);
    }

    public async Task<PoolRow> CreatePoolAsync(Guid tenantId, CreatePoolRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxText)
            errors["name"] = [$"A name of 1 to {MaxText} characters is required."];
        CheckText(errors, "description", request.Description);
        var layout = PoolLayout.TryCreate(request.Network, request.AssignLength, out var layoutError);
        if (layout is null)
            errors[PoolLayout.TryParseNetwork(request.Network, out _) ? "assignLength" : "network"] = [layoutError!];
        ulong? gatewayIndex = null;
        if (request.Gateway is not null && layout is not null)
        {
            if (layout.AssignLength != layout.Bits)
                errors["gateway"] = ["Only a pool of single addresses has a gateway."];
            else if (!IPAddress.TryParse(request.Gateway.Trim(), out var gateway))
                errors["gateway"] = ["An IP address."];
            else if ((gatewayIndex = layout.IndexOf(gateway, out var gatewayError)) is null)
                errors["gateway"] = [gatewayError!];
        }
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        await session.BeginAsync(cancellationToken);
        await LockPlanAsync(tenantId, cancellationToken);
        var prefix = await session.Connection.QuerySingleOrDefaultAsync<PrefixRow>(Command(IpamSql.GetPrefix, new { TenantId = tenantId, Id = request.PrefixId }, cancellationToken))
            ?? throw new ValidationFailedException("prefixId", "No such prefix of this tenant.");
        var container = IPNetwork.Parse(prefix.Prefix);
        if (!container.Contains(layout!.Network.BaseAddress) || layout.Network.PrefixLength < container.PrefixLength)
            throw new ValidationFailedException("network", $"The pool must lie inside its prefix {prefix.Prefix}.");
        var network = layout.Network.ToString();
        var overlapping = await session.Connection.ExecuteScalarAsync<string?>(Command(IpamSql.OverlappingPool, new { TenantId = tenantId, Network = network }, cancellationToken));
        if (overlapping is not null)
            throw new ConflictException($"{network} overlaps the tenant's pool '{overlapping}'.", "ip_pool.overlaps");
        var id = Guid.CreateVersion7();
        try
        {
            await session.Connection.ExecuteAsync(Command(IpamSql.InsertPool, new
            {
                Id = id,
                TenantId = tenantId,
                request.PrefixId,
                Name = request.Name.Trim(),
                Network = network,
                layout.AssignLength,
                Gateway = gatewayIndex is null ? null : layout.AddressOf(gatewayIndex.Value).ToString(),
                Description = Clean(request.Description),
                NextHint = (decimal)layout.FirstUsable,
            }, cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException($"A pool named '{request.Name.Trim()}' already exists.", "ip_pool.name_taken");
        }
        if (gatewayIndex is { } index)
            await InsertAsync(tenantId, id, layout, index, "reserved", GatewayReference, "Gateway", cancellationToken);
        var row = await GetPoolAsync(tenantId, id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row!;
    }

    /// <summary>Deletes a pool that hands out nothing (its gateway reservation goes with it).</summary>
    public async Task DeletePoolAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        _ = await LockPoolAsync(tenantId, id, cancellationToken);
        if (await session.Connection.ExecuteScalarAsync<bool>(Command(IpamSql.PoolHasAllocations, new { TenantId = tenantId, Id = id }, cancellationToken)))
            throw new ConflictException("The pool still has allocations or reservations; release them first.", "ip_pool.in_use");
        await session.Connection.ExecuteAsync(Command(IpamSql.DeletePoolAllocations, new { TenantId = tenantId, Id = id }, cancellationToken));
        await session.Connection.ExecuteAsync(Command(IpamSql.DeletePool, new { TenantId = tenantId, Id = id }, cancellationToken));
        await session.CommitAsync(cancellationToken);
    }

    public async Task<PoolRow?> GetPoolAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<PoolRow>(Command(IpamSql.GetPool, new { TenantId = tenantId, Id = id }, cancellationToken));
    }

    public static PoolResponse Describe(PoolRow pool)
    {
        var layout = pool.Layout;
        var size = (decimal)layout.Usable;
        var used = pool.Allocated + pool.Reserved;
        return new PoolResponse(pool.Id, pool.Name, pool.PrefixId, pool.Site, pool.Network, layout.IsV4 ? 4 : 6, pool.AssignLength, pool.Gateway,
            pool.Description, new PoolUtilization(size, pool.Allocated, pool.Reserved, size - used, size == 0 ? 100 : Math.Round((double)(used / size) * 100, 4)),
            new DateTimeOffset(DateTime.SpecifyKind(pool.CreatedAt, DateTimeKind.Utc)));
    }

    /// <summary>
    /// Hands out the lowest free block of the pool. With a <paramref name="reference"/> that already holds a block of
    /// this pool, returns that block instead (Created = false). A full pool is a 409 "ip_pool.exhausted".
    /// </summary>
    public async Task<(AllocationRow Allocation, bool Created)> AllocateAsync(Guid tenantId, Guid poolId, string? reference, string? description,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckText(errors, "reference", reference);
        CheckText(errors, "description", description);
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        reference = Clean(reference);

        await session.BeginAsync(cancellationToken);
        var pool = await LockPoolAsync(tenantId, poolId, cancellationToken);
        if (reference is not null)
        {
            var held = await session.Connection.QuerySingleOrDefaultAsync<AllocationRow>(Command(IpamSql.FindByReference,
                new { TenantId = tenantId, PoolId = poolId, Reference = reference }, cancellationToken));
            if (held is not null)
            {
                await session.CommitAsync(cancellationToken);
                return (held, false);
            }
        }
        var layout = pool.Layout;
        var hint = Math.Max(pool.NextHint, layout.FirstUsable);
        var next = await session.Connection.ExecuteScalarAsync<decimal?>(Command(IpamSql.NextFree, new { PoolId = poolId, Hint = hint }, cancellationToken));
        if (next is null || next.Value > layout.LastUsable)
            throw new ConflictException($"Pool '{pool.Name}' ({pool.Network}) has no free {(layout.AssignLength == layout.Bits ? "address" : "prefix")} left.", "ip_pool.exhausted");
        var index = (ulong)next.Value;
        var row = await InsertAsync(tenantId, poolId, layout, index, "allocated", reference, Clean(description), cancellationToken);
        await session.Connection.ExecuteAsync(Command(IpamSql.SetHint, new { TenantId = tenantId, PoolId = poolId, NextHint = (decimal)index + 1 }, cancellationToken));
        await publish.Publish(new IpAllocated(tenantId, poolId, row.Id, AllocationResponse.From(row).Address, reference, clock.GetUtcNow()), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return (row, true);
    }

    /// <summary>Sets one block aside (a router, a static customer): never handed out until released. 409 if taken.</summary>
    public async Task<AllocationRow> ReserveAsync(Guid tenantId, Guid poolId, ReserveRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckText(errors, "reference", request.Reference);
        CheckText(errors, "description", request.Description);
        var text = request.Address?.Trim() ?? "";
        var slash = text.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var parsed))
            errors["address"] = ["An IP address (or, in a pool of delegated prefixes, the prefix's first address)."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        await session.BeginAsync(cancellationToken);
        var pool = await LockPoolAsync(tenantId, poolId, cancellationToken);
        var layout = pool.Layout;
        var index = layout.IndexOf(parsed!, out var error) ?? throw new ValidationFailedException("address", error!);
        AllocationRow row;
        try
        {
            row = await InsertAsync(tenantId, poolId, layout, index, "reserved", Clean(request.Reference), Clean(request.Description), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException(e.ConstraintName == "ip_allocations_pool_reference_key"
                ? $"Reference '{request.Reference}' already holds a block of this pool."
                : $"{layout.CidrOf(index)} is already allocated or reserved.", "ip_allocation.taken");
        }
        await publish.Publish(new IpAllocated(tenantId, poolId, row.Id, AllocationResponse.From(row).Address, row.Reference, clock.GetUtcNow()), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    public async Task<AllocationRow> ReleaseAsync(Guid tenantId, Guid poolId, Guid allocationId, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        _ = await LockPoolAsync(tenantId, poolId, cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<AllocationRow>(Command(IpamSql.DeleteAllocation,
            new { TenantId = tenantId, PoolId = poolId, Id = allocationId }, cancellationToken)) ?? throw new NotFoundException("IpAllocation", allocationId);
        await ReleasedAsync(row, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>Releases every block <paramref name="reference"/> holds (compensation); none is not an error.</summary>
    public async Task<IReadOnlyList<AllocationRow>> ReleaseByReferenceAsync(Guid tenantId, string reference, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        var held = (await session.Connection.QueryAsync<AllocationRow>(Command(IpamSql.FindByReferenceAnyPool,
            new { TenantId = tenantId, Reference = reference }, cancellationToken))).ToList();
        foreach (var allocation in held)
        {
            _ = await LockPoolAsync(tenantId, allocation.PoolId, cancellationToken);
            var row = await session.Connection.QuerySingleOrDefaultAsync<AllocationRow>(Command(IpamSql.DeleteAllocation,
                new { TenantId = tenantId, allocation.PoolId, allocation.Id }, cancellationToken));
            if (row is not null)
                await ReleasedAsync(row, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        return held;
    }

    async Task ReleasedAsync(AllocationRow row, CancellationToken cancellationToken)
    {
        await session.Connection.ExecuteAsync(Command(IpamSql.LowerHint, new { row.TenantId, row.PoolId, row.BlockIndex }, cancellationToken));
        await publish.Publish(new IpReleased(row.TenantId, row.PoolId, row.Id, AllocationResponse.From(row).Address, row.Reference, clock.GetUtcNow()), cancellationToken);
    }

    async Task<AllocationRow> InsertAsync(Guid tenantId, Guid poolId, PoolLayout layout, ulong index, string kind, string? reference, string? description,
        CancellationToken cancellationToken) =>
        await session.Connection.QuerySingleAsync<AllocationRow>(Command(IpamSql.InsertAllocation, new
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            PoolId = poolId,
            BlockIndex = (decimal)index,
            Address = $"{layout.AddressOf(index)}/{layout.AssignLength}",
            Kind = kind,
            Reference = reference,
            Description = description,
        }, cancellationToken));

    async Task<PoolRow> LockPoolAsync(Guid tenantId, Guid poolId, CancellationToken cancellationToken) =>
        await session.Connection.QuerySingleOrDefaultAsync<PoolRow>(Command(IpamSql.LockPool, new { TenantId = tenantId, Id = poolId }, cancellationToken))
        ?? throw new NotFoundException("IpPool", poolId);

    Task LockPlanAsync(Guid tenantId, CancellationToken cancellationToken) =>
        session.Connection.ExecuteAsync(Command(IpamSql.LockTenantPlan, new { TenantId = tenantId }, cancellationToken));

    CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);

    static void CheckText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is not null && value.Trim().Length > MaxText)
            errors[field] = [$"At most {MaxText} characters."];
    }

    static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
