using Dapper;
using DotMac.Messaging.TestHost;
using DotMac.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DotMac.Messaging.Tests;

/// <summary>
/// One test class's world: a database for the test service, a RabbitMQ virtual host, and ways to run the test service
/// in-process or as a process, and ops (the durable scheduler) as a process.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    readonly List<IAsyncDisposable> _owned = [];

    Scenario(TestDatabase database, string messaging)
    {
        Database = database;
        Messaging = messaging;
        DataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public TestDatabase Database { get; }
    public string Messaging { get; }
    public NpgsqlDataSource DataSource { get; }
    public TestDatabase? OpsDatabase { get; private set; }

    public static async Task<Scenario> CreateAsync(string purpose)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        var scenario = new Scenario(database, vhost.ConnectionString);
        scenario._owned.Add(vhost);
        return scenario;
    }

    /// <summary>On a RabbitMQ node of the test's own (one it may kill), instead of the shared one.</summary>
    public static async Task<Scenario> CreateAsync(string purpose, string messagingConnectionString)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        return new Scenario(database, messagingConnectionString);
    }

    /// <summary>Settings of the test service: its database, the broker, quick retries, the given extras.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{TestHostApp.DatabaseName}"] = Database.ConnectionString,
            ["ConnectionStrings:messaging"] = Messaging,
            ["DotMac:ServiceName"] = "testhost",
            ["DotMac:Messaging:RetryMinInterval"] = "00:00:00.020",
            ["DotMac:Messaging:RetryMaxInterval"] = "00:00:00.200",
            ["DotMac:Messaging:RetryIntervalDelta"] = "00:00:00.020",
            ["DotMac:Messaging:RedeliveryIntervals:0"] = "00:00:00.500",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return settings;
    }

    public async Task<LocalApp> StartInProcessAsync(IDictionary<string, string?>? extra = null)
    {
        var builder = LocalApp.CreateBuilder(Settings(extra));
        var app = await LocalApp.StartAsync(TestHostApp.Build(builder));
        _owned.Add(app);
        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return app;
    }

    public async Task<ServiceProcess> StartProcessAsync(IDictionary<string, string?>? extra = null)
    {
        var environment = Settings(extra).Where(s => s.Value is not null)
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        var process = ServiceProcess.Start(ServiceProcess.BuiltAssembly("tests/DotMac.Messaging.TestHost", "DotMac.Messaging.TestHost"), environment);
        _owned.Add(process);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>The real ops service (the durable scheduler and dead letters) on this scenario's broker.</summary>
    public async Task<ServiceProcess> StartOpsAsync(int? port = null)
    {
        OpsDatabase ??= await TestInfrastructure.CreateDatabaseAsync("ops");
        var rabbit = await TestInfrastructure.RabbitMqAsync();
        var process = ServiceProcess.Start(ServiceProcess.BuiltAssembly("services/ops/DotMac.Ops", "DotMac.Ops"), new Dictionary<string, string>
        {
            ["ConnectionStrings__ops-db"] = OpsDatabase.ConnectionString,
            ["ConnectionStrings__messaging"] = Messaging,
            ["ConnectionStrings__messaging-management"] = rabbit.ManagementUri,
            ["DotMac__Ops__DeadLetterSweepInterval"] = "00:00:00.500",
        }, port);
        _owned.Add(process);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    public static Task PublishAsync<T>(LocalApp app, T message, Guid? messageId = null)
        where T : class =>
        app.App.Services.GetRequiredService<IBus>().Publish(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="describe"/> if it never does.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                NUnit.Framework.Assert.Fail($"Not reached within {timeout.TotalSeconds} s: {await describe()}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
        if (OpsDatabase is not null)
            await OpsDatabase.DisposeAsync();
    }
}
