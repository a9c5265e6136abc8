using System.Data;
using DotMac.ServiceDefaults.Messaging.Outbox;
using Npgsql;

namespace DotMac.ServiceDefaults.Data;

/// <summary>
/// The unit of work of one request or one consumed message: one connection, at most one transaction. Events
/// published through MassTransit's scoped <c>IPublishEndpoint</c> / <c>ISendEndpointProvider</c> while the transaction
/// is open are written to the outbox inside it, so the change and its events commit (or vanish) together.
/// <para>
/// Begin/Commit nest: only the outermost Commit commits. A consumer on an outbox endpoint runs inside the inbox's
/// transaction already; its own Begin/Commit pair then joins it, and the inbox commits everything once.
/// </para>
/// Not thread-safe: one request or message at a time, like the connection it holds.
/// </summary>
public sealed class DbSession(NpgsqlDataSource dataSource, OutboxSignal signal) : IAsyncDisposable
{
    readonly List<StoredMessage> _outbox = [];
    NpgsqlConnection? _connection;
    NpgsqlTransaction? _transaction;
    int _depth;

    /// <summary>The open connection; call <see cref="OpenAsync"/> or <see cref="BeginAsync"/> first.</summary>
    public NpgsqlConnection Connection => _connection
        ?? throw new InvalidOperationException("The session has no connection yet: call OpenAsync or BeginAsync first.");

    /// <summary>The open transaction, or null outside one. Pass it to every command of the unit of work.</summary>
    public NpgsqlTransaction? Transaction => _transaction;

    public bool InTransaction => _transaction is not null;

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is null)
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
        else if (_connection.State != ConnectionState.Open)
            await _connection.OpenAsync(cancellationToken);
        return _connection;
    }

    public async ValueTask<NpgsqlTransaction> BeginAsync(CancellationToken cancellationToken = default,
        IsolationLevel isolationLevel = IsolationLevel.ReadCommitted)
    {
        if (_transaction is null)
        {
            var connection = await OpenAsync(cancellationToken);
            _transaction = await connection.BeginTransactionAsync(isolationLevel, cancellationToken);
        }
        _depth++;
        return _transaction;
    }

    /// <summary>Commits when this is the outermost Begin; wakes the outbox dispatcher if events were written.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No transaction to commit.");
        if (--_depth > 0)
            return;
        var published = _outbox.Count;
        try
        {
            if (published > 0)
                await OutboxWriter.WriteAsync(Connection, transaction, _outbox, notify: true, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _transaction = null;
            _depth = 0;
            _outbox.Clear();
            await transaction.DisposeAsync();
        }
        if (published > 0)
        {
            OutboxMetrics.Written.Add(published);
            signal.Notify();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as a unit that may fail on its own: if it throws, what it wrote (rows and events) is
    /// undone to a savepoint and the surrounding unit of work goes on (a consumer that turns a refusal into a reply
    /// event, say). Without a surrounding transaction a failure rolls back everything, as usual.
    /// </summary>
    public async Task<T> AttemptAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        var outer = _depth;
        var transaction = await BeginAsync(cancellationToken);
        var events = _outbox.Count;
        var savepoint = $"dotmac_attempt_{outer}";
        await transaction.SaveAsync(savepoint, cancellationToken);
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            if (outer == 0)
            {
                await RollbackAsync();
                throw;
            }
            await transaction.RollbackAsync(savepoint, CancellationToken.None);
            lock (_outbox)
                _outbox.RemoveRange(events, _outbox.Count - events);
            _depth = outer;
            throw;
        }
        await transaction.ReleaseAsync(savepoint, cancellationToken);
        await CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Rolls the whole unit of work back, however deeply nested; events written in it vanish too.</summary>
    public async Task RollbackAsync()
    {
        if (_transaction is not { } transaction)
            return;
        _transaction = null;
        _depth = 0;
        _outbox.Clear();
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: the server rolled the transaction back on its own.
        }
        await transaction.DisposeAsync();
    }

    /// <summary>
    /// Adds a message to the bus outbox: inside a transaction it is written (all of them in one COPY) just before the
    /// commit; outside one it is written and committed at once.
    /// </summary>
    internal async Task AddToOutboxAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            lock (_outbox)
                _outbox.Add(message);
            return;
        }
        await OutboxWriter.WriteAsync(await OpenAsync(cancellationToken), null, [message], notify: true, cancellationToken);
        OutboxMetrics.Written.Add(1);
        signal.Notify();
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connection = null;
    }
}
