using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// tests/spec-tools: the npm validators of OpenAPI and AsyncAPI and Playwright's Chromium driver, installed from the
/// repository's lock file on first use (npm ci, scripts off), and Debian's Chromium (apt-get, as the fixtures install
/// RabbitMQ). Each check prints one JSON object.
/// </summary>
public static class SpecTools
{
    static readonly string Folder = Path.Combine(StateDirectory.RepositoryRoot(AppContext.BaseDirectory), "tests", "spec-tools");
    static readonly SemaphoreSlim Gate = new(1, 1);
    static bool _installed;

    public static async Task<JsonElement> RunAsync(params string[] arguments)
    {
        await InstallAsync(browser: arguments[0] == "docs");
        var result = await Shell.RunAsync("node", [Path.Combine(Folder, "check.mjs"), .. arguments], TimeSpan.FromMinutes(3));
        Assert.That(result.ExitCode, Is.EqualTo(0), $"node check.mjs {string.Join(' ', arguments)}: {result.Describe()}");
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    /// <summary>Debian's Chromium for the Playwright tests, installed when missing.</summary>
    public static Task EnsureChromiumAsync() => InstallAsync(browser: true);

    static async Task InstallAsync(bool browser)
    {
        await Gate.WaitAsync();
        try
        {
            if (!_installed)
            {
                var lockFile = Path.Combine(Folder, "package-lock.json");
                var installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
                if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(lockFile))
                {
                    TestContext.Progress.WriteLine("tests/spec-tools: npm ci");
                    var ci = await Shell.RunAsync("npm", ["ci", "--prefix", Folder, "--no-audit", "--no-fund", "--ignore-scripts"], TimeSpan.FromMinutes(5));
                    Assert.That(ci.ExitCode, Is.EqualTo(0), $"npm ci in tests/spec-tools: {ci.Describe()}");
                }
                _installed = true;
            }
            if (browser && !File.Exists("/usr/bin/chromium"))
                await PackageInstaller.InstallAsync("Chromium", ["chromium"], () => File.Exists("/usr/bin/chromium"), TestInfrastructure.StateDirectory,
                    TestInfrastructure.Loggers.CreateLogger("chromium"), CancellationToken.None);
        }
        finally
        {
            Gate.Release();
        }
    }
}
