using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>A service built the way every DotMac service is (defaults, database, bus), on a real Kestrel port.</summary>
static class ServiceHost
{
    public static async Task<LocalApp> StartAsync(string database, string messaging, IReadOnlyList<Migration>? migrations = null,
        Action<MassTransit.IBusRegistrationConfigurator>? bus = null)
    {
        var builder = LocalApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:testapp-db"] = database,
            ["ConnectionStrings:messaging"] = messaging,
            ["OTEL_SERVICE_NAME"] = "testapp",
        });
        builder.AddServiceDefaults();
        builder.AddServiceDatabase("testapp-db", migrations ?? Migration.FromAssembly(typeof(ServiceHost).Assembly));
        builder.AddServiceBus(bus);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return await LocalApp.StartAsync(app);
    }
}
