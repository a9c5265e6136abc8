using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults;
using DotMac.ServiceDefaults.Auth;
using DotMac.Services.Extensions;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using MassTransit;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>The services service as Program.cs builds it, on real Kestrel, PostgreSQL and RabbitMQ, trusting a real identity.</summary>
public sealed class ServicesHost : IAsyncDisposable
{
    public static readonly Permission[] AdminPermissions = TrustedIdentity.TenantPermissions("services", "read", "write");

    readonly TestDatabase _database;
    readonly TestVirtualHost _vhost;

    ServicesHost(TestDatabase database, TestVirtualHost vhost, LocalApp app)
    {
        _database = database;
        _vhost = vhost;
        App = app;
        Client = new TenantClient(app.Client, "tenant_admin", AdminPermissions);
    }

    public LocalApp App { get; }
    public TenantClient Client { get; }
    public string ConnectionString => _database.ConnectionString;

    public static async Task<ServicesHost> StartAsync(string purpose, Action<IBusRegistrationConfigurator>? bus = null)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        var identity = await TrustedIdentity.HostAsync();
        var builder = LocalApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["services:identity:http:0"] = identity.Address.ToString(),
            ["ConnectionStrings:services-db"] = database.ConnectionString,
            ["ConnectionStrings:messaging"] = vhost.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "services",
            ["DotMac:Messaging:ScheduledRedelivery"] = "false",
        });
        builder.AddServiceDefaults();
        builder.AddApplicationServices(bus);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapApplicationEndpoints();
        var host = new ServicesHost(database, vhost, await LocalApp.StartAsync(app));
        for (var i = 0; i < 150; i++)
        {
            using var response = await host.App.Client.GetAsync(new Uri("/health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
                return host;
            await Task.Delay(200);
        }
        await host.DisposeAsync();
        Assert.Fail("The services service did not become healthy");
        return null!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid tenant, object? body = null, IReadOnlyDictionary<string, string>? headers = null) =>
        Client.SendAsync(method, path, tenant, body, headers);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }
}
