using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults;
using DotMac.Testing;

namespace DotMac.Gateway.Tests;

/// <summary>
/// The real identity and platform services and the real gateway in front of them, each on its own Kestrel port,
/// on real PostgreSQL and RabbitMQ. Tests talk to <see cref="Gateway"/> only.
/// </summary>
sealed class Fleet : IAsyncDisposable
{
    Fleet(IdentityHost identity, LocalApp platform, TestDatabase platformDb, LocalApp gateway)
    {
        Identity = identity;
        Platform = platform;
        PlatformDb = platformDb;
        Gateway = gateway;
    }

    public IdentityHost Identity { get; }
    public LocalApp Platform { get; }
    TestDatabase PlatformDb { get; }
    public LocalApp Gateway { get; }
    public HttpClient Client => Gateway.Client;

    /// <summary>Validators refresh their key cache every second in tests, identity publishes a new key 2 s ahead.</summary>
    static readonly Dictionary<string, string?> FastKeys = new() { ["DotMac:Auth:JwksCacheDuration"] = "00:00:01" };

    public static async Task<Fleet> StartAsync(string purpose, IDictionary<string, string?>? gatewaySettings = null)
    {
        var identity = await IdentityHost.StartAsync($"{purpose}_identity", FastKeys);
        var platformDb = await TestInfrastructure.CreateDatabaseAsync($"{purpose}_platform");
        var platform = await StartAsync(new Dictionary<string, string?>(FastKeys)
        {
            ["ConnectionStrings:platform-db"] = platformDb.ConnectionString,
            ["ConnectionStrings:messaging"] = identity.VirtualHost.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "platform",
            ["services:identity:http:0"] = identity.Address.ToString(),
        }, builder => global::DotMac.Platform.Extensions.Extensions.AddApplicationServices(builder), app => global::DotMac.Platform.Extensions.Extensions.MapApplicationEndpoints(app));
        var settings = new Dictionary<string, string?>(FastKeys)
        {
            ["OTEL_SERVICE_NAME"] = "gateway",
            ["services:identity:http:0"] = identity.Address.ToString(),
            ["services:platform:http:0"] = platform.Address.ToString(),
            // A stand-in upstream under ops's name (platform's own API answers): what is tested is the gateway's rule
            // that only platform staff reach ops at all.
            ["services:ops:http:0"] = platform.Address.ToString(),
        };
        foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string?>())
            settings[key] = value;
        var gateway = await StartAsync(settings, builder => global::DotMac.Gateway.Extensions.Extensions.AddGateway(builder), app => global::DotMac.Gateway.Extensions.Extensions.MapGateway(app));
        return new Fleet(identity, platform, platformDb, gateway);
    }

    public static async Task<LocalApp> StartAsync(Dictionary<string, string?> settings,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder> add, Action<Microsoft.AspNetCore.Builder.WebApplication> map)
    {
        var builder = LocalApp.CreateBuilder(settings);
        builder.AddServiceDefaults();
        add(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        map(app);
        var local = await LocalApp.StartAsync(app);
        await local.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return local;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Platform.DisposeAsync();
        await PlatformDb.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
