using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using DotMac.Analytics.Consumers;
using DotMac.Contracts;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Analytics.Rebuild;

/// <summary>
/// Rebuilds a tenant's read models from the events service's history while live events keep flowing:
/// 1. a fresh copy of every read-model table in a schema of the rebuild's own (rebuild_&lt;id&gt;);
/// 2. the tenant's history, streamed from events' NDJSON export with the caller's own token (they need events:read),
///    applied to that copy by the very statements the live consumers run (<see cref="Projection"/>, through the
///    search path), in batches;
/// 3. one transaction that locks the live tables against writers (readers go on), adds to the copy the live rows the
///    history lacks (events consumed meanwhile, or past the export's end), and replaces the tenant's live rows with
///    the copy: readers see the old figures or the new ones, never a mix, and nothing is counted twice because every
///    row is keyed by its message or fact id.
/// </summary>
public sealed class HistoryRebuilds(NpgsqlDataSource db, IHttpClientFactory http, IConfiguration configuration, IHostApplicationLifetime lifetime,
    MigrationState migrations, ILogger<HistoryRebuilds> logger) : BackgroundService
{
    /// <summary>
    /// Each read-model table of facts and its key, in the order the swap locks them: the order the live statements
    /// write them in (a change before its invoice, a transition before its service's intervals), so no deadlock.
    /// </summary>
    static readonly (string Table, string? Key)[] Tables =
    [
        ("tenants", "tenant_id"), ("service_transitions", "message_id"), ("service_intervals", null), ("invoice_changes", "message_id"),
        ("invoices", "invoice_id"), ("payments", "payment_id"), ("credit_notes", "credit_note_id"), ("device_transitions", "message_id"),
        ("order_sites", "order_id"),
    ];

    static readonly Dictionary<string, Type> Contracts = Projection.Events.ToDictionary(t => t.FullName!, StringComparer.Ordinal);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    const int BatchSize = 500;
    static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);

    public sealed class RebuildRow
    {
        public Guid Id { get; init; }
        public Guid TenantId { get; init; }
        public string Status { get; init; } = "";
        public string RequestedBy { get; init; } = "";
        public long EventsRead { get; init; }
        public long EventsApplied { get; init; }
        public long? RowsFromLive { get; init; }
        public string? Error { get; init; }
        public DateTime StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
    }

    /// <summary>Starts a rebuild of <paramref name="tenant"/>; the export is asked with <paramref name="authorization"/> (and the acting tenant, for platform staff).</summary>
    public async Task<RebuildRow> StartAsync(Guid tenant, string requestedBy, AuthenticationHeaderValue authorization, string? actingTenant, CancellationToken cancellationToken)
    {
        var events = configuration["services:events:http:0"] ?? configuration["services:events:https:0"]
            ?? throw new ConflictException("Analytics has no address of the events service (services:events:http:0): there is no history to rebuild from.", "rebuild.no_history");
        var id = Guid.CreateVersion7();
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition("insert into rebuilds (id, tenant_id, status, requested_by) values (@Id, @TenantId, 'running', @RequestedBy)",
                    new { Id = id, TenantId = tenant, RequestedBy = requestedBy }, cancellationToken: cancellationToken));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ConflictException("A rebuild of this tenant's analytics is running: wait for it to end.", "rebuild.running");
            }
        }
        _ = Task.Run(() => RunAsync(id, tenant, new Uri(events), authorization, actingTenant, lifetime.ApplicationStopping), CancellationToken.None);
        return (await GetAsync(tenant, id, cancellationToken))!;
    }

    public async Task<RebuildRow?> GetAsync(Guid tenant, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RebuildRow>(new CommandDefinition("select * from rebuilds where tenant_id = @TenantId and id = @Id",
            new { TenantId = tenant, Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RebuildRow>> ListAsync(Guid tenant, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<RebuildRow>(new CommandDefinition("select * from rebuilds where tenant_id = @TenantId order by started_at desc limit 50",
            new { TenantId = tenant }, cancellationToken: cancellationToken))];
    }

    async Task RunAsync(Guid id, Guid tenant, Uri events, AuthenticationHeaderValue authorization, string? actingTenant, CancellationToken cancellationToken)
    {
        var schema = $"rebuild_{id:N}";
        try
        {
            await using (var connection = await db.OpenConnectionAsync(cancellationToken))
                await connection.ExecuteAsync(new CommandDefinition($"create schema {schema};"
                    + string.Concat(Tables.Select(t => $"create table {schema}.{t.Table} (like public.{t.Table} including all);")), cancellationToken: cancellationToken));
            var (read, applied) = await ApplyHistoryAsync(id, tenant, schema, events, authorization, actingTenant, cancellationToken);
            var fromLive = await SwapAsync(tenant, schema, cancellationToken);
            await FinishAsync(id, "succeeded", null, read, applied, fromLive);
            logger.LogInformation("Rebuilt analytics of tenant {TenantId} from {Events} events of history ({FromLive} rows kept from live)", tenant, applied, fromLive);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The rebuild {RebuildId} of tenant {TenantId} failed", id, tenant);
            await FinishAsync(id, "failed", ex is RebuildFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}", null, null, null);
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    async Task<(long Read, long Applied)> ApplyHistoryAsync(Guid id, Guid tenant, string schema, Uri events, AuthenticationHeaderValue authorization,
        string? actingTenant, CancellationToken cancellationToken)
    {
        var types = string.Join('&', Projection.Events.Select(t => $"type={EventNames.PublicName(t.Name)}"));
        var to = DateTimeOffset.UtcNow.AddDays(1);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(events, $"/api/v1/history/export?from=2000-01-01T00:00:00Z&to={Uri.EscapeDataString(to.ToString("O"))}&{types}"));
        request.Headers.Authorization = authorization;
        if (actingTenant is not null)
            request.Headers.Add("X-Tenant-Id", actingTenant);
        using var client = http.CreateClient("events-history");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new RebuildFailedException($"The events service refused the export: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        long read = 0, applied = 0;
        var batch = new List<(string Sql, object Parameters)>(BatchSize);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
                continue;
            read++;
            var recorded = JsonSerializer.Deserialize<HistoryLine>(line, Json) ?? throw new RebuildFailedException($"Line {read} of the export is no event.");
            // The export is the tenant's; a line of another tenant would mean the filter failed: never mix tenants.
            if (recorded.TenantId != tenant || !Contracts.TryGetValue(recorded.Contract, out var type))
                continue;
            var message = (IIntegrationEvent)(recorded.Payload.Deserialize(type, Json) ?? throw new RebuildFailedException($"Event {recorded.Id} has no payload."));
            batch.Add(Projection.Of(recorded.Id, message));
            if (batch.Count == BatchSize)
            {
                applied += await ApplyAsync(id, schema, batch, read, applied + batch.Count, cancellationToken);
                batch.Clear();
            }
        }
        applied += await ApplyAsync(id, schema, batch, read, applied + batch.Count, cancellationToken);
        return (read, applied);
    }

    /// <summary>One batch into the rebuild's copy (its schema first on the search path, so the live statements write there), and the heartbeat.</summary>
    async Task<int> ApplyAsync(Guid id, string schema, List<(string Sql, object Parameters)> batch, long read, long applied, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"set local search_path = {schema}, public", transaction: transaction, cancellationToken: cancellationToken));
        foreach (var (sql, parameters) in batch)
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("update public.rebuilds set events_read = @Read, events_applied = @Applied, updated_at = now() where id = @Id",
            new { Id = id, Read = read, Applied = applied }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    /// <summary>The copy replaces the tenant's live rows in one transaction; returns how many live rows the history lacked.</summary>
    async Task<long> SwapAsync(Guid tenant, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Task<int> Execute(string sql) => connection.ExecuteAsync(new CommandDefinition(sql, new { TenantId = tenant }, transaction, cancellationToken: cancellationToken));
        // Writers wait (the consumers' statements), readers do not.
        foreach (var (table, _) in Tables)
            await Execute($"lock table public.{table} in share row exclusive mode");
        // The copy's derived rows (intervals, settled times) are recomputed by its own functions for what comes from live.
        await Execute($"set local search_path = {schema}, public");
        long fromLive = 0;
        foreach (var (table, key) in Tables.Where(t => t.Key is not null))
        {
            var merged = $"""
                insert into {schema}.{table} select * from public.{table} as live
                where live.tenant_id = @TenantId and not exists (select 1 from {schema}.{table} as copy where copy.{key} = live.{key})
                """;
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition($"{merged} returning {Owner(table, key!)}", new { TenantId = tenant }, transaction,
                cancellationToken: cancellationToken))).ToList();
            fromLive += ids.Count;
            if (ids.Count == 0)
                continue;
            // What those rows derive, in the copy: the services' intervals, the invoices' settled times.
            if (table == "service_transitions")
                await connection.ExecuteAsync(new CommandDefinition(
                    "select refresh_service_intervals(@TenantId, id) from (select distinct unnest(@Ids) as id) as touched",
                    new { TenantId = tenant, Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
            else if (table == "invoice_changes")
                await connection.ExecuteAsync(new CommandDefinition($"""
                    update {schema}.invoices i set settled_at = (
                        select min(c.occurred_at) from {schema}.invoice_changes c where c.tenant_id = i.tenant_id and c.invoice_id = i.invoice_id and c.amount_due = 0)
                    where i.tenant_id = @TenantId and i.invoice_id = any(@Ids)
                    """, new { TenantId = tenant, Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
        }
        foreach (var (table, _) in Tables)
        {
            await Execute($"delete from public.{table} where tenant_id = @TenantId");
            await Execute($"insert into public.{table} select * from {schema}.{table} where tenant_id = @TenantId");
        }
        await transaction.CommitAsync(cancellationToken);
        return fromLive;
    }

    /// <summary>What a merged row belongs to: its service, its invoice, or its own key.</summary>
    static string Owner(string table, string key) => table switch { "service_transitions" => "service_id", "invoice_changes" => "invoice_id", _ => key };

    async Task FinishAsync(Guid id, string status, string? error, long? read, long? applied, long? fromLive)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("""
            update rebuilds set status = @Status, error = @Error, events_read = coalesce(@Read, events_read), events_applied = coalesce(@Applied, events_applied),
                rows_from_live = @FromLive, finished_at = now(), updated_at = now()
            where id = @Id
            """, new { Id = id, Status = status, Error = error, Read = read, Applied = applied, FromLive = fromLive });
    }

    async Task DropAsync(string schema)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync($"drop schema if exists {schema} cascade");
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not drop {Schema}; the next start drops it", schema);
        }
    }

    /// <summary>Once migrated: rebuilds whose heartbeat stopped (their process died) are failed, and the copies of ended rebuilds dropped.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (migrations.Status != MigrationStatus.Applied)
        {
            if (migrations.Status == MigrationStatus.Failed)
                return;
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
        try
        {
            await using var connection = await db.OpenConnectionAsync(stoppingToken);
            await connection.ExecuteAsync(new CommandDefinition("""
                update rebuilds set status = 'failed', error = 'interrupted: analytics stopped while it ran', finished_at = now()
                where status = 'running' and updated_at < now() - @Stale
                """, new { Stale }, cancellationToken: stoppingToken));
            var leftovers = await connection.QueryAsync<string>(new CommandDefinition("""
                select nspname::text from pg_namespace n
                where nspname like 'rebuild\_%' and not exists (select 1 from rebuilds r where r.status = 'running' and 'rebuild_' || replace(r.id::text, '-', '') = n.nspname)
                """, cancellationToken: stoppingToken));
            foreach (var schema in leftovers)
                await DropAsync(schema);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not tidy up interrupted rebuilds; the next start tries again");
        }
    }

    sealed record HistoryLine(Guid Id, string Contract, Guid TenantId, JsonElement Payload);

    sealed class RebuildFailedException(string message) : Exception(message);
}
