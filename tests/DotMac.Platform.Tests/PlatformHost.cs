using DotMac.ServiceDefaults;
using DotMac.Testing;

namespace DotMac.Platform.Tests;

/// <summary>The real platform service on a Kestrel port, validating tokens against the given identity's JWKS.</summary>
static class PlatformHost
{
    public static async Task<(LocalApp App, TestDatabase Database)> StartAsync(string purpose, Uri identity, string messaging)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync(purpose);
        var builder = LocalApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:platform-db"] = database.ConnectionString,
            ["ConnectionStrings:messaging"] = messaging,
            ["OTEL_SERVICE_NAME"] = "platform",
            ["services:identity:http:0"] = identity.ToString(),
        });
        builder.AddServiceDefaults();
        Extensions.Extensions.AddApplicationServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        Extensions.Extensions.MapApplicationEndpoints(app);
        var local = await LocalApp.StartAsync(app);
        await local.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return (local, database);
    }
}
