using System.Reflection;
using System.Text.Json;
using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging.Outbox;
using MassTransit;

namespace DotMac.ServiceDefaults.Messaging.Sagas;

/// <summary>
/// Reads and writes one saga type's instances on a <see cref="DbSession"/>. The version each instance was loaded at is
/// remembered per session, so an update can insist nothing changed in between.
/// </summary>
public sealed class SagaStore<TSaga>(DbSession session)
    where TSaga : class, ISaga
{
    static readonly string SagaType = typeof(TSaga).FullName!;
    static readonly PropertyInfo? StateProperty = typeof(TSaga).GetProperty("CurrentState");
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly Dictionary<Guid, int> _versions = [];

    sealed record Row(string Data, int Version);

    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        var row = await session.Connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SagaSql.Load,
            new { sagaType = SagaType, correlationId }, session.Transaction, cancellationToken: cancellationToken));
        if (row is null)
            return null;
        var saga = JsonSerializer.Deserialize<TSaga>(row.Data, Json)
            ?? throw new InvalidOperationException($"Saga {SagaType} {correlationId} has empty data.");
        _versions[correlationId] = row.Version;
        if (saga is ISagaVersion versioned)
            versioned.Version = row.Version;
        return saga;
    }

    /// <summary>Inserts a new instance; false when another message created it first.</summary>
    public async Task<bool> InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(SagaSql.Insert,
            Parameters(saga, 0), session.Transaction, cancellationToken: cancellationToken));
        if (inserted == 1)
            _versions[saga.CorrelationId] = 1;
        return inserted == 1;
    }

    public async Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var version = LoadedVersion(saga);
        var updated = await session.Connection.ExecuteAsync(new CommandDefinition(SagaSql.Update,
            Parameters(saga, version), session.Transaction, cancellationToken: cancellationToken));
        if (updated == 0)
            throw Conflict(saga.CorrelationId, version);
        _versions[saga.CorrelationId] = version + 1;
    }

    public async Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var version = LoadedVersion(saga);
        var deleted = await session.Connection.ExecuteAsync(new CommandDefinition(SagaSql.Delete,
            new { sagaType = SagaType, correlationId = saga.CorrelationId, version }, session.Transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
            throw Conflict(saga.CorrelationId, version);
        _versions.Remove(saga.CorrelationId);
    }

    internal static SagaConcurrencyException Conflict(Guid correlationId, int version)
    {
        OutboxMetrics.SagaConflicts.Add(1, new KeyValuePair<string, object?>("saga", SagaType));
        return new SagaConcurrencyException(typeof(TSaga), correlationId, version);
    }

    int LoadedVersion(TSaga saga) => _versions.TryGetValue(saga.CorrelationId, out var version)
        ? version
        : throw new InvalidOperationException($"Saga {SagaType} {saga.CorrelationId} was not loaded in this session.");

    static object Parameters(TSaga saga, int version) => new
    {
        sagaType = SagaType,
        correlationId = saga.CorrelationId,
        currentState = StateProperty?.GetValue(saga)?.ToString(),
        data = JsonSerializer.Serialize(saga, Json),
        version,
    };
}
