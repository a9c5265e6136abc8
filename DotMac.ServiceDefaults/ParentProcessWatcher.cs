using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DotMac.ServiceDefaults;

/// <summary>
/// Under the AppHost (DOTMAC_PARENT_PID set), a service stops when the AppHost is gone, so a killed AppHost
/// leaves no orphans. Off in every other environment.
/// </summary>
public sealed class ParentProcessWatcher(IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger)
    : BackgroundService
{
    public const string Variable = "DOTMAC_PARENT_PID";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!int.TryParse(configuration[Variable], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent) || parent <= 0)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!Directory.Exists($"/proc/{parent}"))
            {
                logger.LogWarning("The AppHost (pid {Pid}) is gone; stopping", parent);
                lifetime.StopApplication();
                return;
            }
        }
    }
}
