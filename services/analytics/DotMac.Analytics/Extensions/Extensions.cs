using DotMac.Analytics.Apis;
using DotMac.Analytics.Consumers;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Analytics.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "analytics-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddServiceBus(x =>
        {
            x.AddConsumer<LifecycleConsumer>();
            x.AddConsumer<MoneyAndNetworkConsumer>();
        });
        builder.AddServiceAuthentication();
    }

    /// <summary>Authentication, then every API of analytics.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapAnalyticsApi();
        return app;
    }
}
