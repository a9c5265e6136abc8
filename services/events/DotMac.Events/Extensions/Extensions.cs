using DotMac.Events.Apis;
using DotMac.Events.History;
using DotMac.Events.Webhooks;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.FeatureFlags;
using DotMac.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace DotMac.Events.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "events-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.Services.Configure<EventsOptions>(builder.Configuration.GetSection("Events"));
        builder.AddFeatureFlags();
        builder.AddServiceBus(x => x.AddConsumer<HistoryConsumer>(typeof(HistoryConsumerDefinition)));
        builder.AddServiceAuthentication();
        builder.Services.AddSingleton<HistoryPartitions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HistoryPartitions>());
        builder.Services.AddSingleton(sp => new WebhookUrlPolicy(
            builder.Environment.IsDevelopment() && sp.GetRequiredService<IOptions<EventsOptions>>().Value.Webhooks.AllowLoopbackInDevelopment));
        builder.Services.AddSingleton<WebhookSender>();
        if (builder.Configuration.GetValue<bool?>("Events:Webhooks:Deliver") ?? true)
            builder.Services.AddHostedService<WebhookDispatcher>();
    }

    /// <summary>Authentication, then every API of events.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapHistoryApi();
        app.MapWebhooksApi();
        return app;
    }
}
