using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using Npgsql;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// The managed PostgreSQL's life cycle, in a state folder of its own so it never touches the shared server:
/// first start, reuse, last-one-out stops, stale and half-started servers cleaned up.
/// </summary>
[TestFixture]
public sealed class When_dotmac_manages_a_postgres_server
{
    TemporaryFolder _folder = null!;

    string _state => _folder.Path;

    [SetUp]
    public void CreateStateFolder() => _folder = new TemporaryFolder("dotmac-pg");

    [TearDown]
    public void RemoveStateFolder() => _folder.Dispose();

    [Test]
    public async Task Should_share_one_server_and_stop_it_when_the_last_holder_lets_go()
    {
        var first = await AcquireAsync();
        var pid = ServerPid();
        var second = await AcquireAsync();
        Assert.That(second.Port, Is.EqualTo(first.Port), "the second holder reuses the running server");
        Assert.That(ServerPid(), Is.EqualTo(pid));

        await first.DisposeAsync();
        Assert.That(await CanQueryAsync(second), Is.True, "still serving the other holder");

        await second.DisposeAsync();
        Assert.That(Unix.IsRunning(pid), Is.False, "stopped when nobody holds it");
    }

    [Test]
    public async Task Should_keep_its_data_across_a_restart()
    {
        await using (var first = await AcquireAsync())
        {
            await first.CreateDatabaseIfMissingAsync("kept");
            await using var connection = new NpgsqlConnection(first.ConnectionStringFor("kept"));
            await connection.OpenAsync();
            await new NpgsqlCommand("create table kept (v text); insert into kept values ('still here')", connection).ExecuteNonQueryAsync();
        }

        await using var again = await AcquireAsync();
        await using var check = new NpgsqlConnection(again.ConnectionStringFor("kept"));
        await check.OpenAsync();
        Assert.That(await new NpgsqlCommand("select v from kept", check).ExecuteScalarAsync(), Is.EqualTo("still here"));
    }

    [Test]
    public async Task Should_start_afresh_after_a_crash_left_a_stale_pid_file()
    {
        var crashed = await AcquireAsync();
        var pid = ServerPid();
        Unix.Signal(pid, Unix.SigKill);
        while (Unix.IsRunning(pid))
            await Task.Delay(50);
        Assert.That(File.Exists(PidFile), Is.True, "a killed postmaster leaves its pid file");

        await using var server = await AcquireAsync();

        Assert.That(await CanQueryAsync(server), Is.True);
        Assert.That(ServerPid(), Is.Not.EqualTo(pid));
        await crashed.DisposeAsync();
    }

    [Test]
    public async Task Should_replace_a_server_that_runs_but_does_not_answer_once_its_holders_are_gone()
    {
        var hung = await AcquireAsync();
        var pid = ServerPid();
        Unix.Signal(pid, 19); // SIGSTOP: the process exists, the port accepts nothing
        try
        {
            Assert.ThrowsAsync<InfrastructureException>(AcquireAsync, "a live holder's server is never killed from under it");

            // The holder's process died: its lease is gone.
            foreach (var lease in Directory.GetFiles(Path.Combine(_state, "postgres", "leases")))
                File.Delete(lease);
            await using var server = await AcquireAsync();

            Assert.That(await CanQueryAsync(server), Is.True);
            Assert.That(Unix.IsRunning(pid), Is.False, "the hung server was ended");
        }
        finally
        {
            Unix.Signal(pid, Unix.SigKill);
            await hung.DisposeAsync();
        }
    }

    [Test]
    public async Task Should_use_an_explicit_connection_string_as_is_and_never_stop_that_server()
    {
        var shared = await TestInfrastructure.PostgresAsync();

        var external = await PostgresServer.AcquireAsync(_state, TestInfrastructure.Loggers.CreateLogger("external"), shared.ConnectionString);
        await external.DisposeAsync();

        Assert.That(external.External, Is.True);
        Assert.That(Directory.Exists(Path.Combine(_state, "postgres", "data")), Is.False, "nothing was started");
        Assert.That(await CanQueryAsync(shared), Is.True, "the external server is untouched");
    }

    string PidFile => Path.Combine(_state, "postgres", "data", "postmaster.pid");

    int ServerPid() => int.Parse(File.ReadLines(PidFile).First(), System.Globalization.CultureInfo.InvariantCulture);

    // Its own port range, so it never meets the shared server.
    Task<PostgresServer> AcquireAsync() =>
        PostgresServer.AcquireAsync(_state, TestInfrastructure.Loggers.CreateLogger("pg-lifecycle"), preferredPort: 56432);

    static async Task<bool> CanQueryAsync(PostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        return await new NpgsqlCommand("select 1", connection).ExecuteScalarAsync() is 1;
    }
}
