using DotMac.Identity.Apis;
using DotMac.Identity.Consumers;
using DotMac.Identity.Data;
using DotMac.Identity.Features;
using DotMac.Identity.Keys;
using DotMac.Identity.Tokens;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Identity.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "identity-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        DotMac.ServiceDefaults.Telemetry.DotMacTelemetry.StartAtZero(Tokens.RefreshTokens.Reuses);
        builder.AddServiceBus(bus => bus.AddConsumer<TenantEventsConsumer>());

        builder.Services.Configure<IdentityOptions>(builder.Configuration.GetSection(IdentityOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KeyEncryption>();
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<IJwksSource, LocalJwksSource>();
        builder.AddServiceAuthentication();
        // Identity reads its own key table (cached), so a new kid is looked up at once, never throttled.
        builder.Services.PostConfigure<AuthOptions>(o => o.JwksMinimumRefreshInterval = TimeSpan.Zero);

        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<RefreshTokens>();
        builder.Services.AddSingleton<PasswordCheck>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<IdentityEvents>();
        builder.Services.AddSingleton<SuperAdminBootstrap>();
        builder.Services.AddHostedService<IdentityStartup>();
    }

    /// <summary>Authentication, then every API of identity.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapWellKnownApi();
        app.MapAuthApi();
        app.MapKeysApi();
        app.MapClientsApi();
        app.MapUsersApi();
        app.MapRolesApi();
        app.MapCustomersApi();
        return app;
    }
}
