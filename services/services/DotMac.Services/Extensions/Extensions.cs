using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Services.Apis;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using MassTransit;

namespace DotMac.Services.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "services-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        ServiceDefaults.Telemetry.DotMacTelemetry.StartAtZero(Provisioning.ProvisioningMetrics.Submitted, Provisioning.ProvisioningMetrics.Activated,
            Provisioning.ProvisioningMetrics.Failed, Provisioning.ProvisioningMetrics.Suspended, Provisioning.ProvisioningMetrics.Restored);
        builder.AddServiceBus(x =>
        {
            x.AddSagaStateMachine<ProvisioningStateMachine, ProvisioningState>();
            x.AddConsumer<DunningConsumer>();
            configureBus?.Invoke(x);
        });
        builder.Services.Configure<ProvisioningOptions>(builder.Configuration.GetSection("Provisioning"));
        builder.AddServiceAuthentication();
        builder.Services.AddScoped<PlanCatalog>();
        builder.Services.AddScoped<ServiceOrders>();
        builder.Services.AddScoped<ProvisioningRecord>();
    }

    /// <summary>Authentication, then every API of services.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapPlansApi();
        app.MapOrdersApi();
        return app;
    }
}
