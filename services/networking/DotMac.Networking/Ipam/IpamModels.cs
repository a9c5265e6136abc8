namespace DotMac.Networking.Ipam;

public sealed record CreatePrefixRequest(string Prefix, string? Site = null, string? Description = null);

public sealed record PrefixResponse(Guid Id, string Prefix, string? Site, string? Description, DateTimeOffset CreatedAt)
{
    internal static PrefixResponse From(PrefixRow row) =>
        new(row.Id, row.Prefix, row.Site, row.Description, new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)));
}

/// <summary>
/// A pool inside one of the tenant's prefixes. <see cref="AssignLength"/> is what each allocation gets: 32/128 (the
/// default) for single addresses, or e.g. 56 to delegate IPv6 prefixes. A <see cref="Gateway"/> inside the pool is
/// reserved at once.
/// </summary>
public sealed record CreatePoolRequest(string Name, Guid PrefixId, string Network, int? AssignLength = null, string? Gateway = null, string? Description = null);

/// <summary>How full a pool is. Counts are blocks (addresses, or delegated prefixes); Size may exceed 2^53 for IPv6.</summary>
public sealed record PoolUtilization(decimal Size, long Allocated, long Reserved, decimal Free, double Percent);

public sealed record PoolResponse(
    Guid Id,
    string Name,
    Guid PrefixId,
    string? Site,
    string Network,
    int Family,
    int AssignLength,
    string? Gateway,
    string? Description,
    PoolUtilization Utilization,
    DateTimeOffset CreatedAt);

public sealed record AllocateRequest(string? Reference = null, string? Description = null);

public sealed record ReserveRequest(string Address, string? Description = null, string? Reference = null);

public sealed record AllocationResponse(Guid Id, Guid PoolId, string Address, string Kind, string? Reference, string? Description, DateTimeOffset CreatedAt)
{
    internal static AllocationResponse From(AllocationRow row) =>
        new(row.Id, row.PoolId, row.Address.Contains('/') && IsHostRoute(row.Address) ? row.Address[..row.Address.IndexOf('/')] : row.Address,
            row.Kind, row.Reference, row.Description, new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)));

    // PostgreSQL prints a cidr /32 or /128 with its length; a single address reads better without it.
    static bool IsHostRoute(string cidr) => cidr.EndsWith("/32", StringComparison.Ordinal) && !cidr.Contains(':') || cidr.EndsWith("/128", StringComparison.Ordinal);
}
