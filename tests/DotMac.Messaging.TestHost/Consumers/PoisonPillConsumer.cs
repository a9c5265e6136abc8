using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost.Consumers;

/// <summary>Throws for every pill until the pill is cured; then records its effect.</summary>
public sealed class PoisonPillConsumer(DbSession session) : IConsumer<PoisonPill>
{
    public async Task Consume(ConsumeContext<PoisonPill> context)
    {
        await session.OpenAsync(context.CancellationToken);
        var cured = await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(TestHostSql.IsCured,
            new { id = context.Message.Id }, session.Transaction, cancellationToken: context.CancellationToken));
        if (!cured)
            throw new InvalidOperationException($"Poison pill {context.Message.Id} is not cured");
        await EffectLog.RecordAsync(session, "poison", context.Message.Id, context);
    }
}
