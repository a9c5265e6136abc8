using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Skeleton.Apis;
using DotMac.Skeleton.Consumers;

namespace DotMac.Skeleton.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "skeleton-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        // Consumers are registered one by one, so what the service listens to is read here.
        builder.AddServiceBus(bus => bus.AddConsumer<TenantCreatedConsumer>());
        builder.AddServiceAuthentication();
    }

    /// <summary>Authentication, then every API of skeleton.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapWidgetsApi();
        return app;
    }
}
