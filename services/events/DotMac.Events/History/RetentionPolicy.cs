using System.Collections.Concurrent;
using Dapper;
using DotMac.Events.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.History;

/// <summary>Each tenant's days of history: its own retention, or the default. Remembered briefly, so recording an event costs no extra query.</summary>
internal sealed class RetentionPolicy(NpgsqlDataSource dataSource, IOptions<EventsOptions> options, TimeProvider clock)
{
    readonly ConcurrentDictionary<Guid, (int Days, DateTimeOffset Read)> _known = new();

    public int DefaultDays => options.Value.History.DefaultRetentionDays;

    public async ValueTask<int> DaysAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(tenantId, out var known) && now - known.Read < options.Value.History.RetentionCacheTime)
            return known.Days;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var days = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(HistorySql.RetentionOf, new { TenantId = tenantId }, cancellationToken: cancellationToken))
            ?? DefaultDays;
        _known[tenantId] = (days, now);
        return days;
    }

    public void Remember(Guid tenantId, int days) => _known[tenantId] = (days, clock.GetUtcNow());
}
