using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// One outbox row: a message already serialized by MassTransit (its envelope, ids and headers kept), ready to be handed
/// to the transport unchanged by <see cref="OutboxMessageSendPipe"/>.
/// </summary>
public sealed class StoredMessage : OutboxMessageContext
{
    Headers? _headers;
    IReadOnlyDictionary<string, object>? _properties;

    // Columns, mapped by Dapper.
    public long SequenceNumber { get; set; }
    public Guid? InboxMessageId { get; set; }
    public Guid? InboxConsumerId { get; set; }
    public Guid MessageId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public string? SourceAddress { get; set; }
    public string DestinationAddress { get; set; } = "";
    public string? ResponseAddress { get; set; }
    public string? FaultAddress { get; set; }
    public string ContentType { get; set; } = "";
    /// <summary>The .NET type that was sent, for people reading the table; the envelope carries the message types.</summary>
    public string? ClrType { get; set; }
    public string Body { get; set; } = "";
    public string? Headers { get; set; }
    public string? Properties { get; set; }
    public string? TraceParent { get; set; }
    public DateTime SentTime { get; set; }
    public DateTime? EnqueueTime { get; set; }
    public DateTime? ExpirationTime { get; set; }

    // Empty: the message types come from the stored envelope itself.
    string OutboxMessageContext.MessageType => "";
    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Uri? MessageContext.SourceAddress => ToUri(SourceAddress);
    Uri? MessageContext.DestinationAddress => ToUri(DestinationAddress);
    Uri? MessageContext.ResponseAddress => ToUri(ResponseAddress);
    Uri? MessageContext.FaultAddress => ToUri(FaultAddress);
    Headers MessageContext.Headers => _headers ??= ReadHeaders();
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ??= ReadProperties();

    public Uri Destination => new(DestinationAddress);

    Headers ReadHeaders()
    {
        if (string.IsNullOrWhiteSpace(Headers))
            return EmptyHeaders.Instance;
        var values = SystemTextJsonMessageSerializer.Instance.DeserializeObject<Dictionary<string, object?>>(Headers);
        return values is { Count: > 0 } ? new DictionarySendHeaders(values) : EmptyHeaders.Instance;
    }

    IReadOnlyDictionary<string, object> ReadProperties() =>
        string.IsNullOrWhiteSpace(Properties)
            ? new Dictionary<string, object>()
            : SystemTextJsonMessageSerializer.Instance.DeserializeObject<Dictionary<string, object>>(Properties)
                ?? new Dictionary<string, object>();

    static Uri? ToUri(string? value) => value is null ? null : new Uri(value);
}
