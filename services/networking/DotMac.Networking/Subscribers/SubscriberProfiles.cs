using System.Security.Cryptography;
using Dapper;
using DotMac.Contracts.Provisioning;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Networking.Subscribers;

/// <summary>
/// Subscribers' network profiles and the FreeRADIUS rows derived from them, written in the session's transaction.
/// Applying twice for one order changes nothing twice; the password is made here once and kept.
/// </summary>
internal sealed class SubscriberProfiles(DbSession session)
{
    const string PasswordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<SubscriberRow> ApplyAsync(ApplyNetworkProfileCommand command, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        SubscriberRow row;
        try
        {
            row = await session.Connection.QuerySingleOrDefaultAsync<SubscriberRow>(Command(SubscriberSql.Insert, new
            {
                Id = command.OrderId,
                command.TenantId,
                command.ServiceId,
                command.Username,
                Password = RandomNumberGenerator.GetString(PasswordAlphabet, 16),
                command.Address,
                command.DownloadKbps,
                command.UploadKbps,
                command.BurstDownloadKbps,
                command.BurstUploadKbps,
                command.BurstSeconds,
            }, cancellationToken)) ?? throw new ConflictException($"Subscriber {command.OrderId} belongs to another tenant.", "subscriber.conflict");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException($"RADIUS username '{command.Username}' is taken.", "subscriber.username_taken");
        }
        await WriteRadiusAsync(row, await PolicyAsync(row.TenantId, cancellationToken), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    public async Task<SubscriberRow?> SetAccessAsync(Guid tenantId, Guid orderId, bool suspended, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<SubscriberRow>(Command(SubscriberSql.SetSuspended,
            new { TenantId = tenantId, Id = orderId, Suspended = suspended }, cancellationToken));
        if (row is not null)
            await WriteRadiusAsync(row, await PolicyAsync(tenantId, cancellationToken), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    public async Task RemoveAsync(Guid tenantId, Guid orderId, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<SubscriberRow>(Command(SubscriberSql.GetForUpdate, new { TenantId = tenantId, Id = orderId }, cancellationToken));
        if (row is not null)
        {
            await session.Connection.ExecuteAsync(Command(SubscriberSql.DeleteRadius, new { row.Id }, cancellationToken));
            await session.Connection.ExecuteAsync(Command(SubscriberSql.Delete, new { TenantId = tenantId, Id = orderId }, cancellationToken));
            Polling.NetworkingMetrics.RadiusWrites.Add(1, new KeyValuePair<string, object?>("operation", "delete"));
        }
        await session.CommitAsync(cancellationToken);
    }

    public async Task<SubscriberPolicy> PolicyAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<SubscriberPolicy>(Command(SubscriberSql.GetPolicy, new { TenantId = tenantId }, cancellationToken))
            ?? new SubscriberPolicy();
    }

    /// <summary>Sets the tenant's policy and rewrites its walled-garden group and its suspended subscribers at once.</summary>
    public async Task SetPolicyAsync(Guid tenantId, SubscriberPolicy policy, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(Command(SubscriberSql.UpsertPolicy, new
        {
            TenantId = tenantId,
            policy.SuspendedAction,
            policy.WalledGardenRate,
            policy.WalledGardenList,
        }, cancellationToken));
        await session.Connection.ExecuteAsync(Command(SubscriberSql.ReplaceGroupReplies, new
        {
            TenantId = tenantId,
            Group = RadiusProfile.WalledGardenGroup(tenantId),
            policy.WalledGardenRate,
            policy.WalledGardenList,
        }, cancellationToken));
        foreach (var id in await session.Connection.QueryAsync<Guid>(Command(SubscriberSql.SubscribersOfTenant, new { TenantId = tenantId }, cancellationToken)))
        {
            var row = await session.Connection.QuerySingleAsync<SubscriberRow>(Command(SubscriberSql.Get, new { TenantId = tenantId, Id = id }, cancellationToken));
            await WriteRadiusAsync(row, policy, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
    }

    public static RadiusProfile.Rows RowsOf(SubscriberRow row, SubscriberPolicy policy) =>
        RadiusProfile.Build(row.TenantId, row.Password, row.Address, row.DownloadKbps, row.UploadKbps, row.BurstDownloadKbps, row.BurstUploadKbps,
            row.BurstSeconds, row.Suspended, policy);

    async Task WriteRadiusAsync(SubscriberRow row, SubscriberPolicy policy, CancellationToken cancellationToken)
    {
        Polling.NetworkingMetrics.RadiusWrites.Add(1, new KeyValuePair<string, object?>("operation", "replace"));
        var rows = RowsOf(row, policy);
        await session.Connection.ExecuteAsync(Command(SubscriberSql.DeleteRadius, new { row.Id }, cancellationToken));
        foreach (var check in rows.Checks)
            await session.Connection.ExecuteAsync(Command(SubscriberSql.InsertCheck,
                new { row.Username, check.Attribute, check.Op, check.Value, row.TenantId, SubscriberId = row.Id }, cancellationToken));
        foreach (var reply in rows.Replies)
            await session.Connection.ExecuteAsync(Command(SubscriberSql.InsertReply,
                new { row.Username, reply.Attribute, reply.Op, reply.Value, row.TenantId, SubscriberId = row.Id }, cancellationToken));
        foreach (var group in rows.Groups)
            await session.Connection.ExecuteAsync(Command(SubscriberSql.InsertUserGroup, new { row.Username, Group = group, row.TenantId, SubscriberId = row.Id }, cancellationToken));
    }

    CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);
}
