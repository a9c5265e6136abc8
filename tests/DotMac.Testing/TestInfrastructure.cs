using DotMac.AppHost.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace DotMac.Testing;

/// <summary>
/// The real servers tests run against, provided by the same library the AppHost uses: ConnectionStrings__postgres
/// and ConnectionStrings__messaging if set, else the DotMac-managed servers (reused if running, started or installed
/// if not). Started once per test process and shared across test assemblies through leases; released by each
/// assembly's <see cref="TestInfrastructureSetUp"/>, so the last one out stops what DotMac started.
/// </summary>
public static class TestInfrastructure
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static PostgresServer? _postgres;
    static RabbitMqServer? _rabbit;

    public static ILoggerFactory Loggers { get; } = LoggerFactory.Create(b => b.AddProvider(
        new LineLoggerProvider((category, _, line) => TestContext.Progress.WriteLine($"[{category}] {line}"))));

    public static string StateDirectory => AppHost.Infrastructure.StateDirectory.Resolve();

    public static async Task<PostgresServer> PostgresAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _postgres ??= await PostgresServer.AcquireAsync(StateDirectory, Loggers.CreateLogger("postgres"),
                Environment.GetEnvironmentVariable("ConnectionStrings__postgres"));
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<RabbitMqServer> RabbitMqAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _rabbit ??= await RabbitMqServer.AcquireAsync(StateDirectory, Loggers.CreateLogger("rabbitmq"),
                Environment.GetEnvironmentVariable("ConnectionStrings__messaging"), name: "messaging");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A database of its own for one test class; dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string purpose)
    {
        var server = await PostgresAsync();
        var name = Unique(purpose, 63);
        await server.CreateDatabaseIfMissingAsync(name);
        return new TestDatabase(server, name);
    }

    /// <summary>A RabbitMQ virtual host of its own for one test class; deleted when disposed.</summary>
    public static async Task<TestVirtualHost> CreateVirtualHostAsync(string purpose)
    {
        var server = await RabbitMqAsync();
        var name = Unique(purpose, 100);
        await server.CreateVirtualHostAsync(name);
        return new TestVirtualHost(server, name);
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_postgres is not null)
                await _postgres.DisposeAsync();
            if (_rabbit is not null)
                await _rabbit.DisposeAsync();
            _postgres = null;
            _rabbit = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    static string Unique(string purpose, int max)
    {
        var clean = new string(purpose.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var suffix = "_" + Guid.NewGuid().ToString("N")[..10];
        var name = "t_" + clean;
        return (name.Length + suffix.Length > max ? name[..(max - suffix.Length)] : name) + suffix;
    }
}

public sealed record TestDatabase(PostgresServer Server, string Name) : IAsyncDisposable
{
    public string ConnectionString => Server.ConnectionStringFor(Name);

    public async ValueTask DisposeAsync() => await Server.DropDatabaseAsync(Name);
}

public sealed record TestVirtualHost(RabbitMqServer Server, string Name) : IAsyncDisposable
{
    public string ConnectionString => Server.ConnectionStringFor(Name);

    public async ValueTask DisposeAsync() => await Server.DeleteVirtualHostAsync(Name);
}
