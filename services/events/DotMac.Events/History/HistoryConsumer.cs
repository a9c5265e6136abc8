using System.Diagnostics;
using Dapper;
using DotMac.Contracts;
using DotMac.Events.Data;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.History;

/// <summary>
/// Records every integration event once, and queues it for each webhook subscription that takes its type, in the
/// inbox's one transaction: a redelivered event finds itself recorded and changes nothing; a crash before the commit
/// leaves the message unacknowledged, to come again.
/// </summary>
internal sealed class HistoryConsumer(DbSession session, IOptions<EventsOptions> options, HistoryPartitions partitions) : IConsumer<IIntegrationEvent>
{
    public const string QueueName = "events-history";

    public async Task Consume(ConsumeContext<IIntegrationEvent> context)
    {
        var cancellationToken = context.CancellationToken;
        var recorded = RecordedEvent.Read(context.ReceiveContext.Body.GetBytes(), [.. context.SupportedMessageTypes], context.MessageId ?? throw new InvalidDataException("No message id."),
            context.CorrelationId, context.ConversationId, context.InitiatorId, TraceIdOf(context));
        await partitions.Ready.WaitAsync(cancellationToken);
        await session.BeginAsync(cancellationToken);
        try
        {
            await session.Connection.ExecuteAsync(new CommandDefinition(HistorySql.Record, Parameters(recorded, options.Value.History.DefaultRetentionDays, ExcludedSubscription(context)),
                session.Transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.MessageText.StartsWith("no partition", StringComparison.Ordinal))
        {
            // Its month is not there yet (a retention set on another instance a moment ago): the upkeep makes it once this
            // transaction has rolled back, and the retry records it.
            partitions.Request();
            throw;
        }
        await session.CommitAsync(cancellationToken);
    }

    // The consume span's trace when telemetry listens; otherwise the W3C traceparent the publisher sent, if any.
    static string? TraceIdOf(ConsumeContext context)
    {
        if (Activity.Current is { } activity)
            return activity.TraceId.ToHexString();
        return context.Headers.Get<string>("traceparent") is { Length: 55 } parent && ActivityContext.TryParse(parent, null, out var parsed)
            ? parsed.TraceId.ToHexString()
            : null;
    }

    static object Parameters(RecordedEvent e, int defaultRetentionDays, Guid excluded) => new
    {
        e.MessageId,
        e.TenantId,
        e.EventType,
        e.Contract,
        e.OccurredAt,
        e.CorrelationId,
        e.ConversationId,
        e.CausationId,
        e.TraceId,
        e.SubjectIds,
        e.Payload,
        DefaultRetentionDays = defaultRetentionDays,
        Excluded = excluded,
    };

    // A subscription is not told of its own failed delivery: a dead endpoint would otherwise feed itself a new failure a day.
    static Guid ExcludedSubscription(ConsumeContext context) =>
        context.TryGetMessage<Contracts.Events.WebhookDeliveryFailed>(out var failed) ? failed.Message.SubscriptionId : Guid.Empty;
}
