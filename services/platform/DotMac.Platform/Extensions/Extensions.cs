using DotMac.Platform.Apis;
using DotMac.Platform.Data;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Platform.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "platform-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddServiceBus();
        builder.AddServiceAuthentication();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<PlatformEvents>();
    }

    /// <summary>Authentication, then every API of platform.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapTenantsApi();
        app.MapTenantsApiV2();
        app.MapFeatureFlagsApi();
        return app;
    }
}
