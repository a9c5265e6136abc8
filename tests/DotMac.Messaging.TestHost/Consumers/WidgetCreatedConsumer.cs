using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost.Consumers;

/// <summary>Records one effect per widget; run twice for one message, it would record two.</summary>
public sealed class WidgetCreatedConsumer(DbSession session) : IConsumer<WidgetCreated>
{
    public async Task Consume(ConsumeContext<WidgetCreated> context)
    {
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(TestHostSql.RecordEffect,
            new { kind = "widget", subject = context.Message.WidgetId, messageId = context.MessageId }, session.Transaction,
            cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
