namespace DotMac.Networking.Ipam;

internal sealed class PrefixRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public string Prefix { get; init; } = "";
    public string? Site { get; init; }
    public string? Description { get; init; }
    public DateTime CreatedAt { get; init; }
}

internal sealed class PoolRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid PrefixId { get; init; }
    public string Name { get; init; } = "";
    public string Network { get; init; } = "";
    public int AssignLength { get; init; }
    public string? Gateway { get; init; }
    public string? Description { get; init; }
    public decimal NextHint { get; init; }
    public DateTime CreatedAt { get; init; }
    public string? Site { get; init; }

    /// <summary>Blocks handed out and set aside (read with the pool by GetPool/ListPools; 0 when it was only locked).</summary>
    public long Allocated { get; init; }
    public long Reserved { get; init; }

    public PoolLayout Layout => PoolLayout.Create(Network, AssignLength);
}

internal sealed class AllocationRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid PoolId { get; init; }
    public decimal BlockIndex { get; init; }
    public string Address { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Reference { get; init; }
    public string? Description { get; init; }
    public DateTime CreatedAt { get; init; }
}
