using DotMac.Analytics.Apis;
using DotMac.Analytics.Consumers;
using DotMac.Analytics.Rebuild;
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
        // The history export streams for as long as it takes.
        builder.Services.AddHttpClient("events-history", c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<HistoryRebuilds>();
        builder.Services.AddHostedService(s => s.GetRequiredService<HistoryRebuilds>());
    }

    /// <summary>Authentication, then every API of analytics.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapAnalyticsApi();
        app.MapRebuildApi();
        return app;
    }
}
