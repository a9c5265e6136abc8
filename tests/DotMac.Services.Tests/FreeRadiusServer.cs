using System.Diagnostics;
using System.Text.RegularExpressions;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using Npgsql;

namespace DotMac.Services.Tests;

/// <summary>
/// A real FreeRADIUS 3 (Debian's freeradius + freeradius-postgresql, installed if missing) reading a networking
/// database through rlm_sql, run from a private copy of /etc/freeradius/3.0: listeners on free loopback ports, the
/// stock client 127.0.0.1 / testing123, running as the test's user. <see cref="AuthenticateAsync"/> is radtest.
/// </summary>
public sealed partial class FreeRadiusServer : IAsyncDisposable
{
    public const string Secret = "testing123";
    const string Stock = "/etc/freeradius/3.0";

    readonly Process _process;
    readonly TemporaryFolder _folder;
    readonly List<string> _output = [];

    FreeRadiusServer(Process process, TemporaryFolder folder, int authPort)
    {
        _process = process;
        _folder = folder;
        AuthPort = authPort;
    }

    public int AuthPort { get; }

    public static async Task<FreeRadiusServer> StartAsync(string networkingConnectionString)
    {
        await PackageInstaller.InstallAsync("FreeRADIUS", ["freeradius", "freeradius-postgresql", "freeradius-utils"],
            () => File.Exists("/usr/sbin/freeradius") && File.Exists("/usr/bin/radtest") && File.Exists("/usr/lib/freeradius/rlm_sql_postgresql.so"),
            TestInfrastructure.StateDirectory, TestInfrastructure.Loggers.CreateLogger("freeradius"), CancellationToken.None);
        var folder = new TemporaryFolder("freeradius");
        var copy = await Shell.RunAsync("cp", ["-a", Stock + "/.", folder.Path], TimeSpan.FromSeconds(30));
        if (!copy.Succeeded)
            throw new InvalidOperationException($"Could not copy {Stock}: {copy.Describe()}");
        var ports = new Queue<int>();
        for (var port = Ports.FirstFree(18600 + Random.Shared.Next(300)); ports.Count < 5; port = Ports.FirstFree(port + 1))
            ports.Enqueue(port);
        var authPort = ports.Peek();
        Configure(folder.Path, ports, new NpgsqlConnectionStringBuilder(networkingConnectionString));

        var start = new ProcessStartInfo("/usr/sbin/freeradius") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", "-l", "stdout", "-d", folder.Path })
            start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        var server = new FreeRadiusServer(process, folder, authPort);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!server.Output.Contains("Ready to process requests", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"FreeRADIUS did not start:\n{server.Output}");
            }
            await Task.Delay(100);
        }
        return server;
    }

    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output.TakeLast(60));
        }
    }

    /// <summary>radtest: the reply's code ("Access-Accept", "Access-Reject") and attributes ("Framed-IP-Address" -> "100.64.0.2").</summary>
    public async Task<(string Code, IReadOnlyDictionary<string, string> Attributes)> AuthenticateAsync(string user, string password)
    {
        var result = await Shell.RunAsync("/usr/bin/radtest", [user, password, $"127.0.0.1:{AuthPort}", "0", Secret], TimeSpan.FromSeconds(20));
        var received = result.Output.Split('\n').SkipWhile(l => !l.StartsWith("Received ", StringComparison.Ordinal)).ToList();
        if (received.Count == 0)
            throw new InvalidOperationException($"radtest got no answer: {result.Output}{result.Error}\n{Output}");
        var code = received[0].Split(' ')[1];
        var attributes = received.Skip(1).Select(l => l.Trim()).Where(l => l.Contains(" = ", StringComparison.Ordinal))
            .Select(l => l.Split(" = ", 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
        return (code, attributes);
    }

    void Record(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Add(line);
    }

    static void Configure(string root, Queue<int> ports, NpgsqlConnectionStringBuilder database)
    {
        // Listeners on loopback and free ports (auth, acct, and their IPv6 twins); the inner tunnel off 18120.
        Edit(Path.Combine(root, "sites-available", "default"), text =>
        {
            text = text.Replace("ipaddr = *", "ipaddr = 127.0.0.1", StringComparison.Ordinal).Replace("ipv6addr = ::", "ipv6addr = ::1", StringComparison.Ordinal);
            return ListenPort().Replace(text, m => m.Groups[1].Value + ports.Dequeue());
        });
        Edit(Path.Combine(root, "sites-available", "inner-tunnel"), text => text.Replace("port = 18120", $"port = {ports.Dequeue()}", StringComparison.Ordinal));
        // Runs as the test's user with its log and pid under the copy.
        Directory.CreateDirectory(Path.Combine(root, "log"));
        Directory.CreateDirectory(Path.Combine(root, "run"));
        Edit(Path.Combine(root, "radiusd.conf"), text => RunAs().Replace(text, "\n")
            .Replace("logdir = /var/log/freeradius", $"logdir = {Path.Combine(root, "log")}", StringComparison.Ordinal)
            .Replace("run_dir = ${localstatedir}/run/${name}", $"run_dir = {Path.Combine(root, "run")}", StringComparison.Ordinal));
        // rlm_sql on networking's database (the radcheck/radreply/radusergroup/... tables of its migrations).
        Edit(Path.Combine(root, "mods-available", "sql"), text => text
            .Replace("dialect = \"sqlite\"", "dialect = \"postgresql\"", StringComparison.Ordinal)
            .Replace("driver = \"rlm_sql_null\"", "driver = \"rlm_sql_${dialect}\"", StringComparison.Ordinal)
            .Replace("#\tserver = \"localhost\"", $"\tserver = \"{database.Host}\"", StringComparison.Ordinal)
            .Replace("#\tport = 3306", $"\tport = {database.Port}", StringComparison.Ordinal)
            .Replace("#\tlogin = \"radius\"", $"\tlogin = \"{database.Username}\"", StringComparison.Ordinal)
            .Replace("#\tpassword = \"radpass\"", $"\tpassword = \"{database.Password}\"", StringComparison.Ordinal)
            .Replace("radius_db = \"radius\"", $"radius_db = \"{database.Database}\"", StringComparison.Ordinal));
        File.CreateSymbolicLink(Path.Combine(root, "mods-enabled", "sql"), "../mods-available/sql");
    }

    static void Edit(string path, Func<string, string> change)
    {
        var before = File.ReadAllText(path);
        var after = change(before);
        if (after == before)
            throw new InvalidOperationException($"{path} did not change: the stock FreeRADIUS configuration is not the expected one.");
        File.WriteAllText(path, after);
    }

    [GeneratedRegex(@"(\n\s*port = )0\b")]
    private static partial Regex ListenPort();

    [GeneratedRegex(@"\n\s*(user|group) = freerad")]
    private static partial Regex RunAs();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Dispose();
    }
}
