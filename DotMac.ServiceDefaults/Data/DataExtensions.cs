using System.Reflection;
using DotMac.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DotMac.ServiceDefaults.Data;

public static class DataExtensions
{
    /// <summary>
    /// The service's own database: an NpgsqlDataSource from ConnectionStrings:{connectionName}, the migrations
    /// embedded in <paramref name="migrationsAssembly"/> applied at start, and a readiness check.
    /// Call before AddServiceBus so the schema is migrated before consumers start.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName, Assembly migrationsAssembly) =>
        builder.AddServiceDatabase(connectionName, Migration.FromAssembly(migrationsAssembly));

    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName, IReadOnlyList<Migration> migrations)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"No connection string '{connectionName}': set ConnectionStrings:{connectionName} (environment ConnectionStrings__{connectionName}). " +
                "`dotnet run --project DotMac.AppHost` sets it for every service.");

        builder.Services.AddSingleton(sp => new NpgsqlDataSourceBuilder(connectionString) { Name = connectionName }
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            .Build());
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(), migrations, sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<ILogger<MigrationRunner>>()));
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgres", tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
