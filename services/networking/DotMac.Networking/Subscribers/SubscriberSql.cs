namespace DotMac.Networking.Subscribers;

internal static class SubscriberSql
{
    const string Columns = """
        id, tenant_id, service_id, username, password, address, download_kbps, upload_kbps, burst_download_kbps, burst_upload_kbps, burst_seconds,
        suspended, created_at, updated_at
        """;

    public const string Get = $"select {Columns} from subscribers where tenant_id = @TenantId and id = @Id";

    public const string GetForUpdate = $"select {Columns} from subscribers where tenant_id = @TenantId and id = @Id for update";

    public const string GetByService = $"select {Columns} from subscribers where tenant_id = @TenantId and service_id = @ServiceId";

    public const string List = $"""
        select {Columns} from subscribers where tenant_id = @TenantId and (@Username::text is null or username = @Username)
        order by username limit @Limit offset @Offset
        """;

    public const string Count = "select count(*) from subscribers where tenant_id = @TenantId and (@Username::text is null or username = @Username)";

    public const string Insert = $"""
        insert into subscribers (id, tenant_id, service_id, username, password, address, download_kbps, upload_kbps, burst_download_kbps,
            burst_upload_kbps, burst_seconds)
        values (@Id, @TenantId, @ServiceId, @Username, @Password, @Address, @DownloadKbps, @UploadKbps, @BurstDownloadKbps, @BurstUploadKbps, @BurstSeconds)
        on conflict (id) do update set address = excluded.address, download_kbps = excluded.download_kbps, upload_kbps = excluded.upload_kbps,
            burst_download_kbps = excluded.burst_download_kbps, burst_upload_kbps = excluded.burst_upload_kbps, burst_seconds = excluded.burst_seconds,
            updated_at = now()
        where subscribers.tenant_id = excluded.tenant_id
        returning {Columns}
        """;

    public const string SetSuspended = $"update subscribers set suspended = @Suspended, updated_at = now() where tenant_id = @TenantId and id = @Id returning {Columns}";

    public const string Delete = "delete from subscribers where tenant_id = @TenantId and id = @Id";

    public const string DeleteRadius = """
        delete from radcheck where subscriber_id = @Id;
        delete from radreply where subscriber_id = @Id;
        delete from radusergroup where subscriber_id = @Id;
        """;

    public const string InsertCheck = "insert into radcheck (username, attribute, op, value, tenant_id, subscriber_id) values (@Username, @Attribute, @Op, @Value, @TenantId, @SubscriberId)";

    public const string InsertReply = "insert into radreply (username, attribute, op, value, tenant_id, subscriber_id) values (@Username, @Attribute, @Op, @Value, @TenantId, @SubscriberId)";

    public const string InsertUserGroup = "insert into radusergroup (username, groupname, priority, tenant_id, subscriber_id) values (@Username, @Group, 0, @TenantId, @SubscriberId)";

    public const string GetPolicy = "select suspended_action as SuspendedAction, walled_garden_rate as WalledGardenRate, walled_garden_list as WalledGardenList from subscriber_policies where tenant_id = @TenantId";

    public const string UpsertPolicy = """
        insert into subscriber_policies (tenant_id, suspended_action, walled_garden_rate, walled_garden_list)
        values (@TenantId, @SuspendedAction, @WalledGardenRate, @WalledGardenList)
        on conflict (tenant_id) do update set suspended_action = excluded.suspended_action, walled_garden_rate = excluded.walled_garden_rate,
            walled_garden_list = excluded.walled_garden_list, updated_at = now()
        """;

    public const string ReplaceGroupReplies = """
        delete from radgroupreply where groupname = @Group;
        insert into radgroupreply (groupname, attribute, op, value, tenant_id) values
            (@Group, 'Mikrotik-Rate-Limit', ':=', @WalledGardenRate, @TenantId),
            (@Group, 'Mikrotik-Address-List', ':=', @WalledGardenList, @TenantId);
        """;

    public const string SubscribersOfTenant = "select id from subscribers where tenant_id = @TenantId and suspended";
}
