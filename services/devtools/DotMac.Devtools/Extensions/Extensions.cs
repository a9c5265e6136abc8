using DotMac.Devtools.Apis;
using DotMac.Devtools.Seed;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Devtools.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "devtools-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddServiceBus();
        builder.AddServiceAuthentication();
        builder.Services.AddSingleton<SeedRunner>();
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        CatalogApi.Map(app);
        // Demo data makes logins whose passwords follow from the seed: a development fleet's tool, not a production one's.
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Devtools:Seed:EnableApi"))
            SeedApi.Map(app);
    }
}
