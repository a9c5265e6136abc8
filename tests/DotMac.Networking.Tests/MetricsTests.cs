using Dapper;
using DotMac.Networking.Metrics;
using DotMac.Networking.Polling;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>The partitioned sample table: partitions ahead, retention, rollups, binary COPY.</summary>
public class MetricsTests
{
    NetworkingHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _host = await NetworkingHost.StartAsync("networking_metrics", new Dictionary<string, string?> { ["Networking:Polling:Enabled"] = "false" });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        return (await connection.QueryAsync<string>("""
            select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
            where p.relname = 'interface_samples' order by 1
            """)).AsList();
    }

    [Test]
    public async Task Partitions_exist_ahead_and_those_past_the_retention_are_dropped()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var connection = new NpgsqlConnection(_host.ConnectionString))
            await connection.ExecuteAsync("select ensure_interface_samples_partition(@Day::date)", new { Day = now.UtcDateTime.Date.AddDays(-30) });

        await _host.Get<PartitionMaintenance>().RunOnceAsync(now, CancellationToken.None);
        var partitions = await PartitionsAsync();

        var expected = Enumerable.Range(-1, 5).Select(d => $"interface_samples_{now.UtcDateTime.Date.AddDays(d):yyyyMMdd}");
        Assert.That(partitions, Is.SupersetOf(expected));
        Assert.That(partitions, Does.Not.Contain($"interface_samples_{now.UtcDateTime.Date.AddDays(-30):yyyyMMdd}"));
    }

    [Test]
    public async Task Samples_written_with_binary_copy_roll_up_into_5_minute_and_1_hour_buckets()
    {
        var tenant = Guid.NewGuid();
        var iface = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var bucket = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.FromMinutes(5).Ticks, TimeSpan.Zero).AddMinutes(-5);
        await _host.Get<PartitionMaintenance>().RunOnceAsync(now, CancellationToken.None);
        var samples = new[] { 1_000_000.0, 3_000_000.0 }.Select((bps, i) =>
            new InterfaceSample(tenant, iface, bucket.AddSeconds(30 + 60 * i), bps, bps / 2, (long)(bps * 60 / 8), (long)(bps * 30 / 8), 60f)).ToArray();

        var written = await _host.Get<SampleWriter>().WriteAsync(samples, CancellationToken.None);
        await _host.Get<PartitionMaintenance>().RunOnceAsync(now, CancellationToken.None);

        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        var fiveMinutes = await connection.QuerySingleAsync<(DateTime Bucket, double InAvg, double InMax, int Samples)>(
            "select bucket, in_bps_avg, in_bps_max, samples from interface_rollups_5m where tenant_id = @tenant and interface_id = @iface", new { tenant, iface });
        var hour = await connection.QuerySingleAsync<(double InAvg, double OutAvg)>(
            "select in_bps_avg, out_bps_avg from interface_rollups_1h where tenant_id = @tenant and interface_id = @iface", new { tenant, iface });
        Assert.That(written, Is.EqualTo(2UL));
        Assert.That(fiveMinutes, Is.EqualTo((bucket.UtcDateTime, 2_000_000.0, 3_000_000.0, 2)));
        Assert.That(hour, Is.EqualTo((2_000_000.0, 1_000_000.0)));
    }

    [Test]
    public async Task Samples_are_copied_in_the_order_of_the_lookup_index_and_the_series_reads_them_by_it()
    {
        var tenant = Guid.NewGuid();
        var interfaces = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray(); // random bytes: .NET and PostgreSQL order them differently
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddMinutes(1);
        await _host.Get<PartitionMaintenance>().RunOnceAsync(now, CancellationToken.None);
        var samples = Enumerable.Range(0, 3)
            .SelectMany(poll => interfaces.Select(i => new InterfaceSample(tenant, i, start.AddSeconds(30 * poll), poll, poll, poll, poll, 30f)))
            .Reverse().ToArray();

        await _host.Get<SampleWriter>().WriteAsync(samples, CancellationToken.None);

        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        var physical = (await connection.QueryAsync<(Guid, DateTime)>(
            "select interface_id, sampled_at from interface_samples where tenant_id = @tenant order by ctid", new { tenant })).AsList();
        var indexOrder = (await connection.QueryAsync<(Guid, DateTime)>(
            "select interface_id, sampled_at from interface_samples where tenant_id = @tenant order by interface_id, sampled_at", new { tenant })).AsList();
        Assert.That(physical, Has.Count.EqualTo(600));
        Assert.That(physical, Is.EqualTo(indexOrder));

        var plan = string.Join('\n', await connection.QueryAsync<string>(
            "explain select * from interface_samples where tenant_id = @tenant and interface_id = @iface and sampled_at >= @from",
            new { tenant, iface = interfaces[0], from = start.UtcDateTime }));
        Assert.That(plan, Does.Contain("interface_id_sampled_at_idx"), plan);
    }
}
