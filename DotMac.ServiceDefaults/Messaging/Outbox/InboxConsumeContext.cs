using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// The consume context a consumer (or saga) sees on an outbox endpoint: its sends become outbox rows in the inbox's
/// transaction, and MassTransit's outbox pipe asks it whether this message was already consumed and delivered.
/// Two shortcuts over MassTransit's EF implementation keep the common paths to one transaction: a consumer that sent
/// nothing is consumed and delivered at once, and delivered rows are removed in the same transaction.
/// </summary>
internal sealed class InboxConsumeContext<TMessage>(
    ConsumeContext<TMessage> context,
    OutboxConsumeOptions options,
    IServiceProvider provider,
    DbSession session,
    Guid messageId,
    InboxState state) : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    readonly SemaphoreSlim _writing = new(1, 1);
    readonly List<StoredMessage> _outgoing = [];
    long? _lastSequenceNumber = state.LastSequenceNumber;
    bool _consumed = state.WasConsumed;
    bool _delivered = state.WasDelivered;

    /// <summary>True once nothing is left to do for this message: the inbox stops its loop.</summary>
    public bool Finished { get; private set; }

    public override Guid? MessageId => messageId;
    public override bool ContinueProcessing { get; set; } = true;
    public override bool IsMessageConsumed => _consumed;
    public override bool IsOutboxDelivered => _delivered;
    public override int ReceiveCount => state.ReceiveCount;
    public override long? LastSequenceNumber => _lastSequenceNumber;

    object Key => new { messageId, consumerId = ConsumerId };

    public override async Task SetConsumed()
    {
        bool nothingToDeliver;
        await _writing.WaitAsync(CancellationToken);
        try
        {
            nothingToDeliver = _outgoing.Count == 0;
            if (!nothingToDeliver)
                await OutboxWriter.WriteAsync(session.Connection, session.Transaction, _outgoing, notify: false, CancellationToken);
        }
        finally
        {
            _writing.Release();
        }
        // A new row already says consumed and delivered; only outgoing messages (or a row from an earlier, failed
        // delivery pass) need it changed.
        if (!nothingToDeliver || !state.IsNew)
            await ExecuteAsync(nothingToDeliver ? OutboxSql.SetConsumedAndDelivered : OutboxSql.SetConsumedPendingDelivery, Key);
        _consumed = true;
        if (nothingToDeliver)
        {
            _delivered = true;
            Finished = true;
        }
        OutboxMetrics.InboxConsumed.Add(1);
    }

    public override async Task SetDelivered()
    {
        await ExecuteAsync(OutboxSql.SetDelivered, new { messageId, consumerId = ConsumerId, lastSequenceNumber = _lastSequenceNumber });
        await ExecuteAsync(OutboxSql.RemoveInboxMessages, Key);
        _delivered = true;
        Finished = true;
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var rows = await session.Connection.QueryAsync<StoredMessage>(new CommandDefinition(OutboxSql.LoadInboxMessages,
            new { messageId, consumerId = ConsumerId, after = _lastSequenceNumber ?? 0, limit = Options.MessageDeliveryLimit + 1 },
            session.Transaction, cancellationToken: CancellationToken));
        return rows.Cast<OutboxMessageContext>().ToList();
    }

    public override async Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _lastSequenceNumber = message.SequenceNumber;
        await ExecuteAsync(OutboxSql.SetLastSequence, new { messageId, consumerId = ConsumerId, lastSequenceNumber = _lastSequenceNumber });
    }

    public override async Task RemoveOutboxMessages()
    {
        await ExecuteAsync(OutboxSql.RemoveInboxMessages, Key);
        Finished = true;
    }

    public override async Task AddSend<T>(SendContext<T> context)
    {
        // Written in one COPY with the "consumed" mark, after the consumer returned.
        var row = OutboxWriter.ToRow(context, messageId, ConsumerId);
        await _writing.WaitAsync(context.CancellationToken);
        try
        {
            _outgoing.Add(row);
        }
        finally
        {
            _writing.Release();
        }
    }

    async Task ExecuteAsync(string sql, object parameters)
    {
        await _writing.WaitAsync(CancellationToken);
        try
        {
            await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: CancellationToken));
        }
        finally
        {
            _writing.Release();
        }
    }
}
