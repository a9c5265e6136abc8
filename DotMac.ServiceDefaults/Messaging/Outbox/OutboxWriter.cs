using System.Diagnostics;
using Dapper;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Npgsql;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Turns a MassTransit send into an outbox row: the serialized envelope (message id, conversation, headers, transport
/// properties) plus the W3C trace parent of the span that published it, so delivery continues the same trace.
/// </summary>
internal static class OutboxWriter
{
    public static StoredMessage ToRow<T>(SendContext<T> context, Guid? inboxMessageId = null, Guid? inboxConsumerId = null)
        where T : class
    {
        if (context.MessageId is not { } messageId)
            throw new MessageException(typeof(T), "The outbox needs a MessageId on every message.");
        var destination = context.DestinationAddress
            ?? throw new MessageException(typeof(T), "The outbox needs a destination address on every message.");
        var now = DateTime.UtcNow;
        var row = new StoredMessage
        {
            InboxMessageId = inboxMessageId,
            InboxConsumerId = inboxConsumerId,
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress?.ToString(),
            DestinationAddress = destination.ToString(),
            ResponseAddress = context.ResponseAddress?.ToString(),
            FaultAddress = context.FaultAddress?.ToString(),
            ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString(),
            ClrType = typeof(T).FullName,
            Body = context.Serializer.GetMessageBody(context).GetString(),
            TraceParent = Activity.Current?.Id,
            SentTime = context.SentTime ?? now,
            EnqueueTime = context.Delay is { } delay ? now + delay : null,
            ExpirationTime = context.TimeToLive is { } ttl ? now + ttl : null,
        };
        var headers = context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value);
        if (headers.Count > 0)
            row.Headers = SystemTextJsonMessageSerializer.Instance.SerializeObject(headers).GetString();
        if (context is TransportSendContext<T> transport)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(properties);
            if (properties.Count > 0)
                row.Properties = SystemTextJsonMessageSerializer.Instance.SerializeObject(properties).GetString();
        }
        return row;
    }

    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, StoredMessage row, bool notify,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(notify ? OutboxSql.InsertAndNotify : OutboxSql.Insert, row, transaction,
            cancellationToken: cancellationToken));
}
