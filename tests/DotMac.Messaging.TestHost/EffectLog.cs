using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost;

/// <summary>What the test consumers did, one row per handling, in the consumer's (the inbox's) transaction.</summary>
public static class EffectLog
{
    public static async Task RecordAsync(DbSession session, string kind, Guid subject, ConsumeContext context)
    {
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(TestHostSql.RecordEffect,
            new { kind, subject, messageId = context.MessageId }, session.Transaction, cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
