namespace DotMac.Devtools.Seed;

/// <summary>The SQL of devtools' seed_runs (migrations 0001 and 0002).</summary>
internal static class SeedRunSql
{
    const string Columns = """
        id, tenant_id as tenantid, profile, seed, customers, status, requested_by as requestedby, started_at as startedat,
        finished_at as finishedat, heartbeat_at as heartbeatat, error, report::text as report
        """;

    /// <summary>A run of a profile whose heartbeat stopped is given up, so the profile can run again.</summary>
    public const string AbandonStale = """
        update seed_runs set status = 'failed', finished_at = now(), error = 'abandoned: no heartbeat for two minutes (devtools stopped during the run)'
        where profile = @Profile and status = 'running' and heartbeat_at < now() - interval '2 minutes'
        """;

    /// <summary>Inserts nothing while another run of the profile is running (the partial unique index).</summary>
    public const string Start = """
        insert into seed_runs (id, profile, seed, customers, status, requested_by)
        values (@Id, @Profile, @Seed, @Customers, 'running', @RequestedBy)
        on conflict (profile) where status = 'running' do nothing
        """;

    public const string Heartbeat = "update seed_runs set heartbeat_at = now() where id = @Id and status = 'running'";

    public const string Succeed = """
        update seed_runs set status = 'succeeded', finished_at = now(), tenant_id = @TenantId, report = @Report::jsonb where id = @Id
        """;

    public const string Fail = "update seed_runs set status = 'failed', finished_at = now(), error = @Error where id = @Id";

    public const string Get = $"select {Columns} from seed_runs where id = @Id";

    public const string Recent = $"select {Columns} from seed_runs order by started_at desc, id desc limit @Limit offset @Offset";

    public const string Count = "select count(*) from seed_runs";
}
