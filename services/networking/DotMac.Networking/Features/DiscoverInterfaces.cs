using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Polling;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Problems;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Features;

/// <summary>Walks a device's ifTable and ifXTable (bulk where the version allows) and records its interfaces.</summary>
internal static class DiscoverInterfaces
{
    public static async Task<IReadOnlyList<InterfaceResponse>> HandleAsync(Guid deviceId, ITenantContext tenant, NpgsqlDataSource db,
        CredentialProtector protector, SnmpClient snmp, IOptions<PollingOptions> options, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var device = await connection.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(DeviceSql.Get, new { TenantId = tenantId, Id = deviceId }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Device", deviceId);
        var credentials = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(DeviceSql.Credentials, new { TenantId = tenantId, Id = deviceId }, cancellationToken: cancellationToken));
        var target = DeviceTargets.For(device, credentials!, protector, options.Value);

        List<VarBind> ifTable, ifXTable;
        try
        {
            ifTable = await snmp.WalkToListAsync(target, Mib.IfEntry, cancellationToken);
            ifXTable = await snmp.WalkToListAsync(target, Mib.IfXEntry, cancellationToken);
        }
        catch (SnmpException e)
        {
            throw new DeviceUnreachableException($"The device did not answer the interface walk: {e.Message}");
        }

        var rows = Interfaces(ifTable, ifXTable);
        foreach (var row in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(InterfaceSql.Upsert, new
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenantId,
                DeviceId = deviceId,
                row.IfIndex,
                row.Name,
                row.Description,
                row.Alias,
                row.IfType,
                row.SpeedBps,
                row.AdminStatus,
                row.OperStatus,
                row.HighCapacity,
            }, cancellationToken: cancellationToken));
        }
        var stored = await connection.QueryAsync<InterfaceRow>(new CommandDefinition(InterfaceSql.ForDevice, new { TenantId = tenantId, DeviceId = deviceId }, cancellationToken: cancellationToken));
        return [.. stored.Select(InterfaceResponse.From)];
    }

    /// <summary>Joins the two tables' columns by ifIndex (the last sub-identifier).</summary>
    internal static List<InterfaceRow> Interfaces(IReadOnlyList<VarBind> ifTable, IReadOnlyList<VarBind> ifXTable)
    {
        var columns = new Dictionary<(uint Table, uint Column, int Index), SnmpValue>();
        foreach (var vb in ifTable.Where(v => v.Oid.Length == Mib.IfEntry.Length + 2))
            columns[(2, vb.Oid[Mib.IfEntry.Length], (int)vb.Oid[Mib.IfEntry.Length + 1])] = vb.Value;
        foreach (var vb in ifXTable.Where(v => v.Oid.Length == Mib.IfXEntry.Length + 2))
            columns[(31, vb.Oid[Mib.IfXEntry.Length], (int)vb.Oid[Mib.IfXEntry.Length + 1])] = vb.Value;
        string Text(uint table, uint column, int index) => columns.TryGetValue((table, column, index), out var v) && v.Type == SnmpType.OctetString ? v.ToText() : "";
        long Number(uint table, uint column, int index) => columns.TryGetValue((table, column, index), out var v) && v.IsNumeric ? v.ToInt64() : 0;

        var indexes = columns.Keys.Where(k => k.Table == 2 && k.Column == 1).Select(k => k.Index).Order();
        return [.. indexes.Select(i =>
        {
            var highSpeed = Number(31, 15, i); // ifHighSpeed, Mbit/s: ifSpeed saturates at 4.29 Gbit/s
            var speed = Number(2, 5, i);
            var description = Text(2, 2, i);
            var name = Text(31, 1, i);
            return new InterfaceRow
            {
                IfIndex = i,
                Name = name.Length > 0 ? name : description,
                Description = description,
                Alias = Text(31, 18, i),
                IfType = (int)Number(2, 3, i),
                SpeedBps = speed >= uint.MaxValue || (highSpeed > 0 && speed == 0) ? highSpeed * 1_000_000 : speed,
                AdminStatus = (int)Number(2, 7, i),
                OperStatus = (int)Number(2, 8, i),
                HighCapacity = columns.ContainsKey((31, 6, i)) && columns[(31, 6, i)].Type == SnmpType.Counter64,
            };
        })];
    }
}
