using DotMac.Identity.Keys;
using DotMac.ServiceDefaults.Data;

namespace DotMac.Identity.Features;

/// <summary>
/// Once the schema is migrated: a signing key and the super admin exist. Then, hourly, rotate the signing key if it
/// is older than its lifetime.
/// </summary>
public sealed class IdentityStartup(MigrationState migrations, SigningKeyRing keys, SuperAdminBootstrap bootstrap, ILogger<IdentityStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (migrations.Status != MigrationStatus.Applied)
        {
            if (migrations.Status == MigrationStatus.Failed)
                return;
            await Task.Delay(200, stoppingToken);
        }
        await keys.EnsureActiveKeyAsync(stoppingToken);
        await bootstrap.EnsureAsync(stoppingToken);
        // At start too: a fleet that was down past the key's lifetime rotates now, and the key-age gauge has a figure.
        await keys.RotateIfDueAsync(stoppingToken);

        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.RotateIfDueAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                logger.LogWarning("Key rotation check failed, retried in an hour: {Message}", ex.Message);
            }
        }
    }
}
