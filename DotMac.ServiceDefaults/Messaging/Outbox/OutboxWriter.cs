using System.Diagnostics;
using Dapper;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Npgsql;
using NpgsqlTypes;

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
        Telemetry.DomainTags.Tag(Activity.Current, context.Message);
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

    /// <summary>Writes the rows with one binary COPY (in the transaction, if any), then optionally NOTIFYs the dispatchers.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<StoredMessage> rows, bool notify,
        CancellationToken cancellationToken)
    {
        await using (var import = await connection.BeginBinaryImportAsync(OutboxSql.Copy, cancellationToken))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken);
                await ValueAsync(import, row.InboxMessageId, NpgsqlDbType.Uuid, cancellationToken);
                await ValueAsync(import, row.InboxConsumerId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(row.MessageId, NpgsqlDbType.Uuid, cancellationToken);
                await ValueAsync(import, row.ConversationId, NpgsqlDbType.Uuid, cancellationToken);
                await ValueAsync(import, row.CorrelationId, NpgsqlDbType.Uuid, cancellationToken);
                await ValueAsync(import, row.InitiatorId, NpgsqlDbType.Uuid, cancellationToken);
                await ValueAsync(import, row.RequestId, NpgsqlDbType.Uuid, cancellationToken);
                await TextAsync(import, row.SourceAddress, cancellationToken);
                await TextAsync(import, row.DestinationAddress, cancellationToken);
                await TextAsync(import, row.ResponseAddress, cancellationToken);
                await TextAsync(import, row.FaultAddress, cancellationToken);
                await TextAsync(import, row.ContentType, cancellationToken);
                await TextAsync(import, row.ClrType, cancellationToken);
                await TextAsync(import, row.Body, cancellationToken);
                await TextAsync(import, row.Headers, cancellationToken);
                await TextAsync(import, row.Properties, cancellationToken);
                await TextAsync(import, row.TraceParent, cancellationToken);
                await import.WriteAsync(Utc(row.SentTime), NpgsqlDbType.TimestampTz, cancellationToken);
                await ValueAsync<DateTime>(import, row.EnqueueTime is { } enqueue ? Utc(enqueue) : null, NpgsqlDbType.TimestampTz, cancellationToken);
                await ValueAsync<DateTime>(import, row.ExpirationTime is { } expires ? Utc(expires) : null, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        if (notify)
            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.Notify, transaction: transaction, cancellationToken: cancellationToken));
    }

    static Task ValueAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? import.WriteAsync(present, type, cancellationToken) : import.WriteNullAsync(cancellationToken);

    static Task TextAsync(NpgsqlBinaryImporter import, string? value, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);
}
