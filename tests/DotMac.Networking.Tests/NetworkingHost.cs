using System.Net.Http.Json;
using DotMac.Networking.Apis;
using DotMac.Networking.Extensions;
using DotMac.Networking.Features;
using DotMac.ServiceDefaults;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>The networking service as Program.cs builds it, on real Kestrel, PostgreSQL and RabbitMQ, with fast polling.</summary>
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
    }

    public LocalApp App { get; }

    public string ConnectionString => _database.ConnectionString;

    public IServiceProvider Services => App.App.Services;

    public static async Task<NetworkingHost> StartAsync(string purpose, IDictionary<string, string?>? settings = null)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var vhost = await TestInfrastructure.CreateVirtualHostAsync(purpose);
        var state = new TemporaryFolder("dotmac-networking");
        var all = new Dictionary<string, string?>
        {
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
        app.MapDevicesApi();
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

    public HttpRequestMessage Request(HttpMethod method, string path, Guid tenant, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Tenant-Id", tenant.ToString());
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid tenant, object? body = null)
    {
        using var request = Request(method, path, tenant, body);
        return await App.Client.SendAsync(request);
    }

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
