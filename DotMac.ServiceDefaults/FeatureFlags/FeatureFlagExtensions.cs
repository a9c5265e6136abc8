using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults.FeatureFlags;

public static class FeatureFlagExtensions
{
    /// <summary>
    /// <see cref="IFeatureFlags"/> for this service: call before AddServiceBus, which then gives the instance its queue of
    /// FeatureFlagChanged. Needs platform's address (services:platform:http:0).
    /// </summary>
    [Messaging.RegistersConsumers(typeof(FeatureFlagChangedConsumer))]
    public static IHostApplicationBuilder AddFeatureFlags(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FeatureFlagClient>();
        builder.Services.AddSingleton<IFeatureFlags>(sp => sp.GetRequiredService<FeatureFlagClient>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeatureFlagClient>());
        builder.Services.AddHttpClient(FeatureFlagClient.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        return builder;
    }
}
