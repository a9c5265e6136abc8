using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Middleware;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// The inbox: MassTransit's outbox consume filter asks this factory to run each message. Every pass is one
/// transaction on the message scope's <see cref="DbSession"/>: lock (or create) the inbox row for the message id and
/// consumer, let the outbox pipe consume or deliver, commit. The consumer's own writes and saga state share that
/// transaction, so the effects, the outgoing messages and the "handled" mark commit together; a redelivered message
/// finds the mark and changes nothing twice.
/// </summary>
public sealed class InboxContextFactory(DbSession session, IServiceProvider provider) : IOutboxContextFactory<DbSession>
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "The inbox needs a MessageId on every message.");
        Telemetry.DomainTags.Tag(System.Diagnostics.Activity.Current, context.Message);
        var firstPass = true;
        while (true)
        {
            await session.BeginAsync(context.CancellationToken);
            InboxConsumeContext<T> inbox;
            try
            {
                var state = await session.Connection.QuerySingleAsync<InboxState>(new CommandDefinition(OutboxSql.LockInbox,
                    new { messageId, consumerId = options.ConsumerId }, session.Transaction, cancellationToken: context.CancellationToken));
                if (firstPass && state.WasConsumed)
                    OutboxMetrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", options.ConsumerType));
                inbox = new InboxConsumeContext<T>(context, options, provider, session, messageId, state);
                await next.Send(inbox);
                await session.CommitAsync(context.CancellationToken);
            }
            catch
            {
                await session.RollbackAsync();
                throw;
            }
            firstPass = false;
            if (inbox.Finished || !inbox.ContinueProcessing)
                return;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outboxContextFactory").Add("provider", "postgresql");
}
