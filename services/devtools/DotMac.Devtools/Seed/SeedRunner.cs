using System.Text.Json;
using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Devtools.Seed;

/// <summary>A recorded seed run, as GET /api/v1/seed/{id} answers it.</summary>
public sealed record SeedRun(Guid Id, string Profile, int? Seed, int? Customers, string Status, string? RequestedBy, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, DateTimeOffset HeartbeatAt, string? Error, Guid? TenantId, SeedSummary? Report);

internal sealed class SeedRunRow
{
    public Guid Id { get; init; }
    public Guid? TenantId { get; init; }
    public string Profile { get; init; } = "";
    public int? Seed { get; init; }
    public int? Customers { get; init; }
    public string Status { get; init; } = "";
    public string? RequestedBy { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public DateTime HeartbeatAt { get; init; }
    public string? Error { get; init; }
    public string? Report { get; init; }

    /// <summary>The stored report holds no passwords; they follow from the seed, for the platform staff who may read this.</summary>
    public SeedRun ToRun()
    {
        var report = Report is null ? null : JsonSerializer.Deserialize<SeedSummary>(Report, GatewayClient.Json);
        if (report is not null && Seed is { } seed)
            report = report.WithPasswords(seed);
        return new SeedRun(Id, Profile, Seed, Customers, Status, RequestedBy, Times.Utc(StartedAt), Times.Utc(FinishedAt), Times.Utc(HeartbeatAt), Error, TenantId, report);
    }
}

/// <summary>
/// Runs the seeder for POST /api/v1/seed in the background (a large seed outlasts the gateway's request timeout) with
/// the caller's own token against the gateway (Devtools:GatewayUrl), recording the run and its report in seed_runs.
/// </summary>
public sealed class SeedRunner(NpgsqlDataSource db, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<SeedRunner> logger)
{
    static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Gateway => new(configuration["Devtools:GatewayUrl"] is { Length: > 0 } url ? url : "http://localhost:5000");

    /// <summary>Records the run and starts it; 409 while the same profile is running.</summary>
    public async Task<Guid> StartAsync(SeedOptions options, string accessToken, string requestedBy, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(SeedRunSql.AbandonStale, new { options.Profile }, cancellationToken: cancellationToken));
            var inserted = await connection.ExecuteAsync(new CommandDefinition(SeedRunSql.Start,
                new { Id = id, options.Profile, options.Seed, options.Customers, RequestedBy = requestedBy }, cancellationToken: cancellationToken));
            if (inserted == 0)
                throw new ConflictException($"A seed of {options.Profile} is running; wait for it (GET /api/v1/devtools/seed).", "seed.running");
        }
        _ = Task.Run(() => RunAsync(id, options, accessToken, lifetime.ApplicationStopping), CancellationToken.None);
        return id;
    }

    public async Task<SeedRun?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SeedRunRow>(new CommandDefinition(SeedRunSql.Get, new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    /// <summary>The latest runs first, a page of them (docs/api-conventions.md).</summary>
    public async Task<Page<SeedRun>> RecentAsync(int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeedRunRow>(new CommandDefinition(SeedRunSql.Recent, new { Limit = limit, Offset = offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SeedRunSql.Count, cancellationToken: cancellationToken));
        return new Page<SeedRun>([.. rows.Select(r => r.ToRun())], total, limit, offset);
    }

    async Task RunAsync(Guid id, SeedOptions options, string accessToken, CancellationToken stopping)
    {
        using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(15));
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var beating = BeatAsync(id, heartbeat, done.Token);
        try
        {
            var client = new GatewayClient(Http, Gateway);
            client.UseToken(accessToken);
            var isp = DemoIsp.Create(options.Seed, options.Customers);
            var report = await new Seeder(client, isp, line => logger.LogInformation("Seed {RunId}: {Progress}", id, line)).RunAsync(stopping);
            var summary = report.ToSummary().WithoutPasswords();
            await ExecuteAsync(SeedRunSql.Succeed, new { Id = id, summary.TenantId, Report = JsonSerializer.Serialize(summary, GatewayClient.Json) });
        }
        catch (Exception e)
        {
            // The run's boundary, on a thread nobody awaits: whatever ended it is recorded, or the run would show running until abandoned.
            logger.LogWarning(e, "Seed {RunId} failed", id);
            await ExecuteAsync(SeedRunSql.Fail, new { Id = id, Error = stopping.IsCancellationRequested ? "devtools stopped during the run" : e.Message });
        }
        finally
        {
            await done.CancelAsync();
            await beating;
        }
    }

    async Task BeatAsync(Guid id, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await ExecuteAsync(SeedRunSql.Heartbeat, new { Id = id });
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
    }

    /// <summary>Run bookkeeping outlives a stopping host: it is what tells a reader how the run ended.</summary>
    async Task ExecuteAsync(string sql, object parameters)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: CancellationToken.None));
        }
        catch (NpgsqlException e)
        {
            logger.LogError(e, "Could not record seed run state ({Sql})", sql.Split(' ')[0]);
        }
    }
}
