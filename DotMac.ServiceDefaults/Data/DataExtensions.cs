using System.Diagnostics;
using System.Reflection;
using DotMac.ServiceDefaults.Health;
using DotMac.ServiceDefaults.Messaging;
using DotMac.ServiceDefaults.Messaging.Outbox;
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
    /// The database also gets DotMac's messaging tables (outbox, inbox); <see cref="DbSession"/> is the unit of work
    /// that commits a change and the events it publishes together.
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

        // Columns are snake_case, properties PascalCase: message_id fills MessageId without an alias in every query.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        builder.Services.AddSingleton(sp => new NpgsqlDataSourceBuilder(Tuned(connectionString)) { Name = connectionName }
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            // A statement is a span only inside a request, a consumer or a job's own span: the pollers' idle queries
            // (outbox, scheduler, health) would otherwise be thousands of one-span traces an hour.
            .ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null)
                .ConfigureCommandSpanNameProvider(command => SpanName(command.CommandText, connectionName))
                .ConfigureBatchSpanNameProvider(batch => SpanName(batch.BatchCommands.Count > 0 ? batch.BatchCommands[0].CommandText : "", connectionName))
                .EnableFirstResponseEvent(false))
            .Build());
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<DbSession>();
        builder.Services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(), [MessagingSchema.Track, MigrationTrack.Service(migrations)], sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<ILogger<MigrationRunner>>()));
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgres", tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>"select billing-db", "insert billing-db": the operation and the database, as the semantic conventions name a span.</summary>
    internal static string SpanName(string sql, string database)
    {
        var text = sql.AsSpan().TrimStart();
        var end = text.IndexOfAny(' ', '\n', '(');
        var operation = (end < 0 ? text : text[..end]).ToString().ToLowerInvariant();
        return operation.Length is > 0 and <= 16 ? $"{operation} {database}" : database;
    }

    /// <summary>
    /// Defaults for a service that runs the same few statements all day, unless the connection string says otherwise:
    /// statements prepared on the server after a few uses, and no DISCARD ALL when a pooled connection is reused
    /// (DotMac code leaves no session state behind: no temp tables, no SET).
    /// </summary>
    static string Tuned(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
            settings.MaxAutoPrepare = 50;
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
            settings.NoResetOnClose = true;
        return settings.ConnectionString;
    }
}
