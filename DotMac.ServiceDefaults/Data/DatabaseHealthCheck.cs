using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace DotMac.ServiceDefaults.Data;

/// <summary>Ready when the database answers and the schema is at the version this build expects.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, MigrationState migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["migrations"] = migrations.Status.ToString(),
            ["schemaVersion"] = migrations.AppliedVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
        };
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {ex.Message}", data: data);
        }
        return migrations.Status switch
        {
            MigrationStatus.Applied => HealthCheckResult.Healthy("database reachable, schema current", data),
            MigrationStatus.Failed => HealthCheckResult.Unhealthy($"migration {migrations.FailedScript} failed: {migrations.Error}", data: data),
            _ => HealthCheckResult.Unhealthy("migrations not applied yet" + (migrations.Error is null ? "" : $": {migrations.Error}"), data: data),
        };
    }
}
