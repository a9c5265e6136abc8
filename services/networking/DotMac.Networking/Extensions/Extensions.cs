using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Metrics;
using DotMac.Networking.Polling;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.Networking.Tenancy;
using DotMac.Networking.Traps;
using DotMac.Networking.Apis;
using DotMac.Networking.Ipam;
using DotMac.Networking.Subscribers;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;

namespace DotMac.Networking.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "networking-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        Polling.NetworkingMetrics.Start();
        builder.AddServiceBus(x =>
        {
            x.AddConsumer<ProvisioningConsumer>();
            configureBus?.Invoke(x);
        });
        builder.AddServiceAuthentication();
        SqlMapper.AddTypeHandler(new IPAddressTypeHandler());

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ITenantContext, CallerTenantContext>();

        builder.Services.AddSingleton(new CredentialProtector(CredentialKey.Load(builder.Configuration, builder.Environment)));
        builder.Services.AddSingleton(_ => new SnmpClient());
        builder.Services.AddSingleton<NetworkingEvents>();
        builder.Services.AddScoped<IpamStore>();
        builder.Services.AddScoped<SubscriberProfiles>();
        builder.Services.AddSingleton<SampleWriter>();
        builder.Services.AddSingleton<DevicePoller>();

        builder.Services.Configure<PollingOptions>(builder.Configuration.GetSection("Networking:Polling"));
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection("Networking:Metrics"));
        builder.Services.Configure<TrapOptions>(builder.Configuration.GetSection("Networking:Traps"));

        builder.Services.AddSingleton<PartitionMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PartitionMaintenance>());
        builder.Services.AddSingleton<PollScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PollScheduler>());
        builder.Services.AddSingleton<TrapReceiverService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrapReceiverService>());
    }

    /// <summary>Authentication, then every API of networking.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapDevicesApi();
        app.MapIpamApi();
        app.MapSubscribersApi();
        return app;
    }
}
