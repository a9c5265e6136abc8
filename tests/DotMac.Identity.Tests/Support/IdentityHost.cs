using System.Net.Http.Json;
using System.Text.Json;
using DotMac.Contracts.Platform;
using DotMac.Identity.Extensions;
using DotMac.ServiceDefaults;
using DotMac.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DotMac.Identity.Tests.Support;

/// <summary>
/// The real identity service on a Kestrel port, with its own database, virtual host and secrets folder; the super
/// admin's bootstrap password read from the file it writes at first start.
/// </summary>
public sealed class IdentityHost : IAsyncDisposable
{
    IdentityHost(LocalApp app, TestDatabase database, TestVirtualHost vhost, TemporaryFolder secrets, string adminPassword)
    {
        App = app;
        Database = database;
        VirtualHost = vhost;
        Secrets = secrets;
        AdminPassword = adminPassword;
    }

    public const string AdminEmail = "admin@dotmac.local";

    public LocalApp App { get; }
    public TestDatabase Database { get; }
    public TestVirtualHost VirtualHost { get; }
    public TemporaryFolder Secrets { get; }
    public string AdminPassword { get; }
    public HttpClient Client => App.Client;
    public Uri Address => App.Address;

    public static Dictionary<string, string?> Settings(TestDatabase database, TestVirtualHost vhost, TemporaryFolder secrets) => new()
    {
        ["ConnectionStrings:identity-db"] = database.ConnectionString,
        ["ConnectionStrings:messaging"] = vhost.ConnectionString,
        ["OTEL_SERVICE_NAME"] = "identity",
        ["DotMac:Identity:BootstrapPasswordFile"] = Path.Combine(secrets.Path, "super-admin.txt"),
        ["DotMac:Identity:KeyEncryptionKeyFile"] = Path.Combine(secrets.Path, "signing-key-encryption.key"),
        ["DotMac:Identity:KeyPublicationLead"] = "00:00:02",
        ["DotMac:Identity:KeyReloadInterval"] = "00:00:00.200",
    };

    public static async Task<IdentityHost> StartAsync(string purpose, IDictionary<string, string?>? extra = null)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        var secrets = new TemporaryFolder("identity-secrets");
        var settings = Settings(database, vhost, secrets);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var builder = LocalApp.CreateBuilder(settings);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        // Errors of the service show in the test's output.
        builder.Logging.AddProvider(new DotMac.AppHost.Infrastructure.LineLoggerProvider((category, level, line) =>
        {
            if (level >= Microsoft.Extensions.Logging.LogLevel.Error)
                NUnit.Framework.TestContext.Progress.WriteLine($"[identity {category}] {line}");
        }));
        var webApp = builder.Build();
        webApp.MapDefaultEndpoints();
        webApp.MapApplicationEndpoints();
        var app = await LocalApp.StartAsync(webApp);
        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var password = await ReadBootstrapPasswordAsync(Path.Combine(secrets.Path, "super-admin.txt"));
        return new IdentityHost(app, database, vhost, secrets, password);
    }

    static async Task<string> ReadBootstrapPasswordAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(path) || (await File.ReadAllLinesAsync(path)).Length < 2)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The bootstrap password file {path} did not appear.");
            await Task.Delay(50);
        }
        return (await File.ReadAllLinesAsync(path))[1];
    }

    /// <summary>Platform's TenantCreated, through the real broker; waits until identity has consumed it.</summary>
    public async Task<Guid> CreateTenantAsync(string slug, string plan = "standard")
    {
        var id = Guid.CreateVersion7();
        var bus = App.App.Services.GetRequiredService<IBus>();
        await bus.Publish(new TenantCreated(id, slug, slug, plan, "USD", "UTC", DateTimeOffset.UtcNow));
        var dataSource = App.App.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = dataSource.CreateCommand("select count(*) from tenants where id = @id");
            command.Parameters.AddWithValue("id", id);
            if ((long)(await command.ExecuteScalarAsync())! == 1)
                return id;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("identity did not consume TenantCreated");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        await VirtualHost.DisposeAsync();
        Secrets.Dispose();
    }
}
