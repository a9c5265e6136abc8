namespace DotMac.Networking.Data;

/// <summary>The devices table's SQL. Every statement a request runs filters on tenant_id.</summary>
internal static class DeviceSql
{
    const string Columns = """
        id as Id, tenant_id as TenantId, name as Name, site as Site, management_address as ManagementAddress,
        status as Status, snmp_port as SnmpPort, snmp_version as SnmpVersion, poll_interval_seconds as PollIntervalSeconds,
        last_polled_at as LastPolledAt, last_error as LastError, created_at as CreatedAt
        """;

    public const string Insert = """
        insert into devices (id, tenant_id, name, site, management_address, snmp_port, snmp_version, snmp_credentials, poll_interval_seconds)
        values (@Id, @TenantId, @Name, @Site, @ManagementAddress, @SnmpPort, @SnmpVersion, @Credentials, @PollIntervalSeconds)
        """;

    public const string Get = $"select {Columns} from devices where tenant_id = @TenantId and id = @Id";

    public const string List = $"select {Columns} from devices where tenant_id = @TenantId order by name limit @Limit offset @Offset";

    public const string Count = "select count(*) from devices where tenant_id = @TenantId";

    public const string Delete = "delete from devices where tenant_id = @TenantId and id = @Id";

    public const string Credentials = "select snmp_credentials from devices where tenant_id = @TenantId and id = @Id";

    // The scheduler's only cross-tenant read: which devices are due, of every tenant. It claims them by moving
    // next_poll_at on, so the next tick does not pick them again while they are polled.
    public const string ClaimDue = $"""
        update devices set next_poll_at = now() + make_interval(secs => poll_interval_seconds)
        where id in (
            select id from devices
            where snmp_credentials is not null and status <> 'maintenance' and next_poll_at <= now() and not (id = any(@Busy))
            order by next_poll_at limit @Limit
            for update skip locked)
        returning {Columns}, snmp_credentials as Credentials
        """;

    /// <summary>Marks the device up; returns a row only when it was not up before (a transition).</summary>
    public const string MarkUp = """
        with previous as (select status from devices where tenant_id = @TenantId and id = @Id for update)
        update devices d set status = 'up', last_polled_at = now(), last_error = null, updated_at = now()
        from previous where d.tenant_id = @TenantId and d.id = @Id
        returning previous.status
        """;

    public const string MarkDown = """
        with previous as (select status from devices where tenant_id = @TenantId and id = @Id for update)
        update devices d set status = 'down', last_polled_at = now(), last_error = @Error, updated_at = now()
        from previous where d.tenant_id = @TenantId and d.id = @Id
        returning previous.status
        """;

    /// <summary>Traps carry no tenant: the devices (of any tenant) whose management address sent one.</summary>
    public const string ByAddress = $"select {Columns} from devices where management_address = @Address";
}
