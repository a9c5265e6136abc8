namespace DotMac.Services.Plans;

internal static class PlanSql
{
    const string Columns = """
        p.id, p.tenant_id, p.code, p.name, p.status, v.version, p.created_at, p.updated_at,
        v.download_mbps, v.upload_mbps, v.burst_download_mbps, v.burst_upload_mbps, v.burst_seconds, v.data_cap_gb,
        v.fair_use_download_mbps, v.fair_use_upload_mbps, v.price, v.currency, v.billing_period, v.created_at as version_created_at
        """;

    public const string InsertPlan = """
        insert into plans (id, tenant_id, code, name, status, version) values (@Id, @TenantId, @Code, @Name, 'active', 1)
        """;

    public const string InsertVersion = """
        insert into plan_versions (plan_id, version, tenant_id, download_mbps, upload_mbps, burst_download_mbps, burst_upload_mbps, burst_seconds,
            data_cap_gb, fair_use_download_mbps, fair_use_upload_mbps, price, currency, billing_period)
        values (@PlanId, @Version, @TenantId, @DownloadMbps, @UploadMbps, @BurstDownloadMbps, @BurstUploadMbps, @BurstSeconds,
            @DataCapGb, @FairUseDownloadMbps, @FairUseUploadMbps, @Price, @Currency, @BillingPeriod)
        """;

    /// <summary>Moves the plan to its next version; the row lock orders concurrent changes of one plan.</summary>
    public const string NextVersion = """
        update plans set version = version + 1, updated_at = now()
        where tenant_id = @TenantId and id = @Id and status <> 'retired'
        returning version
        """;

    public const string Get = $"select {Columns} from plans p join plan_versions v on v.plan_id = p.id and v.version = p.version where p.tenant_id = @TenantId and p.id = @Id";

    public const string GetVersion = $"select {Columns} from plans p join plan_versions v on v.plan_id = p.id where p.tenant_id = @TenantId and p.id = @Id and v.version = @Version";

    public const string Versions = $"select {Columns} from plans p join plan_versions v on v.plan_id = p.id where p.tenant_id = @TenantId and p.id = @Id order by v.version";

    public const string List = $"""
        select {Columns} from plans p join plan_versions v on v.plan_id = p.id and v.version = p.version
        where p.tenant_id = @TenantId and (@Status::text is null or p.status = @Status)
        order by p.code limit @Limit offset @Offset
        """;

    public const string Count = "select count(*) from plans where tenant_id = @TenantId and (@Status::text is null or status = @Status)";

    public const string Retire = "update plans set status = 'retired', updated_at = now() where tenant_id = @TenantId and id = @Id";
}
