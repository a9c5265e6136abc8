using DotMac.Billing.Apis;
using DotMac.Billing.Subscriptions;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;

namespace DotMac.Billing.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "billing-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddServiceBus(x =>
        {
            x.AddConsumer<SubscriptionConsumers>();
            configureBus?.Invoke(x);
        });
        builder.AddServiceAuthentication();
    }

    /// <summary>Authentication, then every API of billing.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapSubscriptionsApi();
        return app;
    }
}
