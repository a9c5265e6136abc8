using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Networking.Features;

public sealed record BandwidthPoint(DateTimeOffset Bucket, double InBps, double OutBps, double MaxInBps, double MaxOutBps, int Samples);

public sealed record BandwidthSeriesResponse(Guid InterfaceId, string Bucket, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<BandwidthPoint> Points);

/// <summary>An interface's bits/s over a time range, averaged (and maxed) per bucket with date_bin.</summary>
internal static class BandwidthSeries
{
    static readonly Dictionary<string, TimeSpan> Buckets = new()
    {
        ["10s"] = TimeSpan.FromSeconds(10),
        ["1m"] = TimeSpan.FromMinutes(1),
        ["5m"] = TimeSpan.FromMinutes(5),
        ["15m"] = TimeSpan.FromMinutes(15),
        ["1h"] = TimeSpan.FromHours(1),
        ["1d"] = TimeSpan.FromDays(1),
    };

    public static async Task<BandwidthSeriesResponse> HandleAsync(Guid deviceId, int ifIndex, string? bucket, DateTimeOffset? from, DateTimeOffset? to,
        ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId;
        var (width, start, end) = Range(bucket ?? "5m", from, to);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InterfaceRow>(new CommandDefinition(InterfaceSql.ByIndex,
            new { TenantId = tenantId, DeviceId = deviceId, IfIndex = ifIndex }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Interface", $"{deviceId}/{ifIndex}");
        var points = await connection.QueryAsync<BandwidthRow>(new CommandDefinition(SampleSql.Series,
            new { Bucket = width, TenantId = tenantId, InterfaceId = row.Id, From = start, To = end }, cancellationToken: cancellationToken));
        return new BandwidthSeriesResponse(row.Id, bucket ?? "5m", start, end,
            [.. points.Select(p => new BandwidthPoint(new DateTimeOffset(p.Bucket, TimeSpan.Zero), p.InBps, p.OutBps, p.MaxInBps, p.MaxOutBps, p.Samples))]);
    }

    /// <summary>Validated bucket and range: the last day by default, at most 10,000 buckets.</summary>
    internal static (TimeSpan Bucket, DateTimeOffset From, DateTimeOffset To) Range(string bucket, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (!Buckets.TryGetValue(bucket, out var width))
            throw new ValidationFailedException("bucket", $"One of {string.Join(", ", Buckets.Keys)}.");
        var end = to ?? DateTimeOffset.UtcNow;
        var start = from ?? end.AddDays(-1);
        if (start >= end)
            throw new ValidationFailedException("from", "from must be before to.");
        if ((end - start) / width > 10_000)
            throw new ValidationFailedException("bucket", "Too many buckets for this range (at most 10,000): choose a larger bucket.");
        return (width, start.ToUniversalTime(), end.ToUniversalTime());
    }

    sealed class BandwidthRow
    {
        public DateTime Bucket { get; init; }
        public double InBps { get; init; }
        public double OutBps { get; init; }
        public double MaxInBps { get; init; }
        public double MaxOutBps { get; init; }
        public int Samples { get; init; }
    }
}
