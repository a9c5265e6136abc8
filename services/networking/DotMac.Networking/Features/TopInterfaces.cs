using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Networking.Features;

public sealed record TopInterface(Guid InterfaceId, Guid DeviceId, string Name, double InBps, double OutBps, double TotalBps);

/// <summary>The tenant's busiest interfaces over a range (the last hour by default), by average in + out bits/s.</summary>
internal static class TopInterfaces
{
    public static async Task<IReadOnlyList<TopInterface>> HandleAsync(int? limit, DateTimeOffset? from, DateTimeOffset? to, ITenantContext tenant,
        NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var count = limit ?? 10;
        if (count is < 1 or > 1000)
            throw new ValidationFailedException("limit", "Between 1 and 1000.");
        var end = to ?? DateTimeOffset.UtcNow;
        var start = from ?? end.AddHours(-1);
        if (start >= end)
            throw new ValidationFailedException("from", "from must be before to.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TopInterface>(new CommandDefinition(SampleSql.Top,
            new { TenantId = tenant.TenantId, From = start.ToUniversalTime(), To = end.ToUniversalTime(), Limit = count }, cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
