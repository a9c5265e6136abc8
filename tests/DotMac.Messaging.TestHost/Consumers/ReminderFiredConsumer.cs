using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost.Consumers;

/// <summary>What a saga published, seen from outside: one effect per ReminderFired.</summary>
public sealed class ReminderFiredConsumer(DbSession session) : IConsumer<ReminderFired>
{
    public async Task Consume(ConsumeContext<ReminderFired> context)
    {
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(TestHostSql.RecordEffect,
            new { kind = "reminder", subject = context.Message.ReminderId, messageId = context.MessageId }, session.Transaction,
            cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
