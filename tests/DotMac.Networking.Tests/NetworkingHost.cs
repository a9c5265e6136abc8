using System.Net.Http.Json;
using DotMac.Identity.Tests.Support;
using DotMac.Networking.Extensions;
using DotMac.Networking.Features;
using DotMac.ServiceDefaults;
using DotMac.ServiceDefaults.Auth;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>
/// The networking service as Program.cs builds it, on real Kestrel, PostgreSQL and RabbitMQ, with fast polling; its
/// callers hold tokens of a real identity (one for the whole assembly) for the tenant they act for.
/// </summary>
public sealed class NetworkingHost : IAsyncDisposable
{
    readonly TestDatabase _database;
    readonly TestVirtualHost _vhost;
    readonly TemporaryFolder _state;

    NetworkingHost(TestDatabase database, TestVirtualHost vhost, TemporaryFolder state, LocalApp app)
    {
        _database = database;
        _vhost = vhost;
        _state = state;
        App = app;
        _client = new TenantClient(app.Client, "noc_engineer", NocPermissions);
    }

    readonly TenantClient _client;

    public LocalApp App { get; }

    public string ConnectionString => _database.ConnectionString;

    public IServiceProvider Services => App.App.Services;

    public static async Task<NetworkingHost> StartAsync(string purpose, IDictionary<string, string?>? settings = null)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        var state = new TemporaryFolder("dotmac-networking");
        var identity = await IdentityAsync();
        var all = new Dictionary<string, string?>
        {
            ["services:identity:http:0"] = identity.Address.ToString(),
            ["ConnectionStrings:networking-db"] = database.ConnectionString,
            ["ConnectionStrings:messaging"] = vhost.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "networking",
            ["DOTMAC_STATE_DIR"] = state.Path,
            ["Networking:Polling:Tick"] = "00:00:00.200",
            ["Networking:Polling:DeviceTimeout"] = "00:00:00.800",
            ["Networking:Polling:Retries"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var builder = LocalApp.CreateBuilder(all);
        builder.AddServiceDefaults();
        builder.AddApplicationServices(x => x.AddConsumer<EventRecorder>());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapApplicationEndpoints();
        var local = await LocalApp.StartAsync(app);
        var host = new NetworkingHost(database, vhost, state, local);
        await host.WaitHealthyAsync();
        return host;
    }

    async Task WaitHealthyAsync()
    {
        for (var i = 0; i < 150; i++)
        {
            using var response = await App.Client.GetAsync(new Uri("/health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
                return;
            await Task.Delay(200);
        }
        Assert.Fail("The networking service did not become healthy");
    }

    /// <summary>The identity every networking host of this assembly trusts, started on first use.</summary>
    public static Task<IdentityHost> IdentityAsync() => TrustedIdentity.HostAsync();

    public static ValueTask StopIdentityAsync() => TrustedIdentity.StopAsync();

    /// <summary>
    /// A token of the real identity for a NOC engineer of the tenant, or for exactly the given permissions (platform
    /// staff: no tenant of their own).
    /// </summary>
    public static Task<string> TokenAsync(Guid? tenant, params Permission[] permissions) =>
        TrustedIdentity.TokenAsync(tenant, "noc_engineer", permissions.Length > 0 ? permissions : NocPermissions);

    static readonly Permission[] NocPermissions = TrustedIdentity.TenantPermissions("network", "read", "write");

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid tenant, object? body = null,
        IReadOnlyDictionary<string, string>? headers = null) => _client.SendAsync(method, path, tenant, body, headers);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, Guid? tenantHeader = null) =>
        _client.SendAsync(method, path, token, body, tenantHeader);

    public async Task<DeviceResponse> RegisterAsync(Guid tenant, string name, string address, int port, int pollIntervalSeconds = 60, string community = "public")
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/devices", tenant,
            new RegisterDeviceRequest(name, address, new SnmpSettings("v2c", port, community), PollIntervalSeconds: pollIntervalSeconds));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeviceResponse>())!;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
        _state.Dispose();
    }
}
