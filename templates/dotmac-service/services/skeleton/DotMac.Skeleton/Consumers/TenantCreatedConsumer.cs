using Dapper;
using DotMac.Contracts.Platform;
using DotMac.ServiceDefaults.Data;
using DotMac.Skeleton.Data;
using MassTransit;

namespace DotMac.Skeleton.Consumers;

/// <summary>
/// Keeps skeleton's list of tenants from platform's TenantCreated. It runs inside the inbox: the DbSession
/// transaction is the one holding the message's inbox row, so the insert and the "handled" mark commit together and
/// a redelivery of the same message changes nothing.
/// </summary>
public sealed class TenantCreatedConsumer(DbSession session) : IConsumer<TenantCreated>
{
    public async Task Consume(ConsumeContext<TenantCreated> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(TenantsSql.Insert,
            new { Id = m.TenantId, m.Slug, m.Name, CreatedAt = m.OccurredAt }, session.Transaction, cancellationToken: context.CancellationToken));
        await session.CommitAsync(context.CancellationToken);
    }
}
