using System.Reflection;
using Dapper;
using DotMac.Testing;
using Npgsql;

namespace DotMac.Skeleton.Tests;

/// <summary>
/// skeleton as it is deployed: its own process started from its build output (Program.cs and all), with a fresh
/// database, on the assembly's RabbitMQ virtual host, validating the tokens of the real identity (see TestFleet).
/// </summary>
public sealed class SkeletonService : IAsyncDisposable
{
    SkeletonService(TestDatabase database, TestVirtualHost vhost, ServiceProcess process)
    {
        Database = database;
        VirtualHost = vhost;
        Process = process;
    }

    public TestDatabase Database { get; }
    public TestVirtualHost VirtualHost { get; }
    public ServiceProcess Process { get; }
    public HttpClient Client => Process.Client;

    public static readonly string[] StaffPermissions = ["skeleton:read:tenant", "skeleton:write:tenant"];

    public static async Task<SkeletonService> StartAsync(string purpose)
    {
        var identity = await TestFleet.IdentityAsync();
        var vhost = await TestFleet.VirtualHostAsync();
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var process = ServiceProcess.Start(BuiltAssembly(), new Dictionary<string, string>
        {
            ["ConnectionStrings__skeleton-db"] = database.ConnectionString,
            ["ConnectionStrings__messaging"] = vhost.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "skeleton",
            ["services__identity__http__0"] = identity.ToString(),
        });
        var service = new SkeletonService(database, vhost, process);
        try
        {
            await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    /// <summary>A token of a tenant's staff holding skeleton:read and skeleton:write (or exactly the permissions given).</summary>
    public static Task<string> TokenAsync(Guid tenant, params string[] permissions) =>
        TestFleet.StaffTokenAsync(tenant, permissions.Length > 0 ? permissions : StaffPermissions);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    static string BuiltAssembly()
    {
        var path = typeof(SkeletonService).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ServiceAssembly").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the service first: {path} is missing.");
    }

    // The virtual host is the assembly's (TestFleet stops it).
    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }
}
