namespace DotMac.Networking.Data;

/// <summary>The interfaces table's SQL; always by tenant.</summary>
internal static class InterfaceSql
{
    const string Columns = """
        id as Id, device_id as DeviceId, if_index as IfIndex, name as Name, description as Description, alias as Alias,
        if_type as IfType, speed_bps as SpeedBps, admin_status as AdminStatus, oper_status as OperStatus,
        high_capacity as HighCapacity, discovered_at as DiscoveredAt
        """;

    public const string Upsert = """
        insert into interfaces (id, tenant_id, device_id, if_index, name, description, alias, if_type, speed_bps, admin_status, oper_status, high_capacity)
        values (@Id, @TenantId, @DeviceId, @IfIndex, @Name, @Description, @Alias, @IfType, @SpeedBps, @AdminStatus, @OperStatus, @HighCapacity)
        on conflict (device_id, if_index) do update set
            name = excluded.name, description = excluded.description, alias = excluded.alias, if_type = excluded.if_type,
            speed_bps = excluded.speed_bps, admin_status = excluded.admin_status, oper_status = excluded.oper_status,
            high_capacity = excluded.high_capacity, discovered_at = now()
        where interfaces.tenant_id = excluded.tenant_id
        """;

    public const string ForDevice = $"select {Columns} from interfaces where tenant_id = @TenantId and device_id = @DeviceId order by if_index";

    public const string ByIndex = $"select {Columns} from interfaces where tenant_id = @TenantId and device_id = @DeviceId and if_index = @IfIndex";

    public const string SetOperStatus = "update interfaces set oper_status = @OperStatus where tenant_id = @TenantId and id = @Id and oper_status <> @OperStatus";
}
