using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

[TestFixture]
public sealed class When_migrations_run
{
    static readonly Migration[] Scripts =
    [
        new(1, "create_counter", "create table counter (id serial primary key, note text not null)"),
        new(2, "first_row", "insert into counter (note) values ('first')"),
        new(3, "second_row", "insert into counter (note) values ('second')"),
    ];

    TestDatabase _database = null!;

    [SetUp]
    public async Task CreateDatabase() => _database = await TestInfrastructure.CreateDatabaseAsync("migrations");

    [TearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [Test]
    public async Task Should_apply_every_script_once_in_order_and_nothing_on_a_second_run()
    {
        await using var source = NpgsqlDataSource.Create(_database.ConnectionString);
        var state = new MigrationState();
        await Runner(source, Scripts, state).RunAsync(CancellationToken.None);
        await Runner(source, Scripts, new MigrationState()).RunAsync(CancellationToken.None);

        var notes = (await source.OpenConnection().QueryAsync<string>("select note from counter order by id")).ToList();
        Assert.That(notes, Is.EqualTo(new[] { "first", "second" }));
        Assert.That(state.Status, Is.EqualTo(MigrationStatus.Applied));
        Assert.That(state.AppliedVersion, Is.EqualTo(3));
        var history = (await source.OpenConnection().QueryAsync<int>("select version from schema_migrations order by version")).ToList();
        Assert.That(history, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Should_apply_each_migration_exactly_once_when_instances_start_together()
    {
        // Four "instances", each with its own pool, racing for the same fresh database.
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(_database.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(sources.Select(s => Task.Run(() => Runner(s, Scripts, new MigrationState()).RunAsync(CancellationToken.None))));

            await using var connection = await sources[0].OpenConnectionAsync();
            Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from counter"), Is.EqualTo(2));
            Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"), Is.EqualTo(3));
        }
        finally
        {
            foreach (var source in sources)
                await source.DisposeAsync();
        }
    }

    [Test]
    public async Task Should_name_the_failing_script_and_leave_nothing_of_it_behind()
    {
        Migration[] scripts =
        [
            Scripts[0],
            new(2, "broken", "create table half_done (id int); insert into no_such_table values (1);"),
        ];
        await using var source = NpgsqlDataSource.Create(_database.ConnectionString);

        var failure = Assert.ThrowsAsync<MigrationFailedException>(() => Runner(source, scripts, new MigrationState()).RunAsync(CancellationToken.None));

        Assert.That(failure!.Script, Is.EqualTo("0002_broken.sql"));
        Assert.That(failure.Message, Does.Contain("0002_broken.sql").And.Contain("no_such_table"));
        await using var connection = await source.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<string?>("select to_regclass('half_done')::text"), Is.Null, "the failed script's table was rolled back");
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_refuse_to_run_when_an_applied_script_was_edited()
    {
        await using var source = NpgsqlDataSource.Create(_database.ConnectionString);
        await Runner(source, Scripts, new MigrationState()).RunAsync(CancellationToken.None);
        Migration[] edited = [Scripts[0], new(2, "first_row", "insert into counter (note) values ('changed')"), Scripts[2]];

        var failure = Assert.ThrowsAsync<MigrationFailedException>(() => Runner(source, edited, new MigrationState()).RunAsync(CancellationToken.None));

        Assert.That(failure!.Script, Is.EqualTo("0002_first_row.sql"));
        Assert.That(failure.Message, Does.Contain("different text"));
    }

    [Test]
    public void Should_read_numbered_scripts_embedded_in_an_assembly()
    {
        var scripts = Migration.FromAssembly(typeof(When_migrations_run).Assembly);

        Assert.That(scripts.Select(s => s.Script), Is.EqualTo(new[] { "0001_widgets.sql", "0002_widget_index.sql" }));
    }

    static MigrationRunner Runner(NpgsqlDataSource source, IReadOnlyList<Migration> scripts, MigrationState state) =>
        new(source, scripts, state, NullLogger<MigrationRunner>.Instance);
}
