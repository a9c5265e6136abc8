using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// Installs a missing server from the distribution's packages when that is possible and allowed: Debian or Ubuntu,
/// running as root, and DOTMAC_NO_INSTALL not set. Otherwise it stops with the command to run by hand.
/// </summary>
public static class PackageInstaller
{
    public const string DisableVariable = "DOTMAC_NO_INSTALL";

    static readonly SemaphoreSlim InProcess = new(1, 1);
    static bool _updated;

    public static async Task InstallAsync(string what, string[] packages, Func<bool> installed, string stateDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var command = $"apt-get install -y {string.Join(' ', packages)}";
        if (Environment.GetEnvironmentVariable(DisableVariable) is "1" or "true")
            throw new InfrastructureException($"{what} is not installed and {DisableVariable} is set. Install it with: sudo {command}");
        if (!IsDebianLike())
            throw new InfrastructureException($"{what} is not installed. Install it with your package manager (on Debian/Ubuntu: sudo {command}).");
        if (!Unix.IsRoot)
            throw new InfrastructureException($"{what} is not installed. Install it with: sudo {command}");

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            // apt-get holds dpkg's lock; our own lock keeps two DotMac processes from racing for it.
            using var _ = await FileLock.AcquireAsync(Path.Combine(stateDirectory, "apt.lock"), TimeSpan.FromMinutes(10), cancellationToken);
            if (installed())
                return; // another DotMac process installed it while we waited
            logger.LogWarning("{What} is not installed: installing it with `{Command}` (set {Variable}=1 to turn this off)", what, command, DisableVariable);
            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            if (!_updated)
            {
                var update = await Shell.RunAsync("apt-get", ["update", "-q"], TimeSpan.FromMinutes(5), env, cancellationToken: cancellationToken);
                if (!update.Succeeded)
                    logger.LogWarning("apt-get update failed ({Error}); trying the install with the lists we have", update.Describe());
                _updated = true;
            }
            var install = await Shell.RunAsync("apt-get",
                ["install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300", .. packages],
                TimeSpan.FromMinutes(10), env, cancellationToken: cancellationToken);
            if (!install.Succeeded)
                throw new InfrastructureException($"Installing {what} failed ({install.Describe()}). Install it with: sudo {command}");
            logger.LogInformation("Installed {Packages}", string.Join(", ", packages));
        }
        finally
        {
            InProcess.Release();
        }
    }

    static bool IsDebianLike()
    {
        if (File.Exists("/etc/debian_version"))
            return true;
        if (!File.Exists("/etc/os-release"))
            return false;
        var text = File.ReadAllText("/etc/os-release");
        return text.Contains("debian", StringComparison.OrdinalIgnoreCase) || text.Contains("ubuntu", StringComparison.OrdinalIgnoreCase);
    }
}
