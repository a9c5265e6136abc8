using Dapper;
using DotMac.Contracts.Platform;
using DotMac.Identity.Data;
using MassTransit;
using Npgsql;

namespace DotMac.Identity.Consumers;

/// <summary>Keeps identity's copy of the tenants: which exist, their plan (a token claim) and whether they are active.</summary>
public sealed class TenantEventsConsumer(NpgsqlDataSource db) : IConsumer<TenantCreated>, IConsumer<TenantSettingsChanged>
{
    public async Task Consume(ConsumeContext<TenantCreated> context)
    {
        var m = context.Message;
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TenantsSql.Upsert,
            new { Id = m.TenantId, m.Slug, m.Name, m.Plan, Status = "active", Now = m.OccurredAt }, cancellationToken: context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<TenantSettingsChanged> context)
    {
        var m = context.Message;
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TenantsSql.Update,
            new { Id = m.TenantId, m.Plan, m.Status, Now = m.OccurredAt }, cancellationToken: context.CancellationToken));
    }
}
