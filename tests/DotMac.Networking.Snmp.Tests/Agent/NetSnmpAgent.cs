using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using Microsoft.Extensions.Logging;

namespace DotMac.Networking.Snmp.Tests.Agent;

/// <summary>
/// A real net-snmp agent (Debian's snmpd) for tests: installed with apt-get when missing, configured and run from a
/// private folder on a free loopback UDP port, stopped and started again on the same port when a test wants an
/// outage. The command-line tools (snmpget, snmpbulkwalk, snmptrap ...) run with the same private persistent folder.
/// </summary>
public sealed class NetSnmpAgent : IDisposable
{
    public const string ReadCommunity = "public";
    public const string WriteCommunity = "private-rw";
    public const string AuthPassword = "auth-pass-1234";
    public const string PrivPassword = "priv-pass-5678";

    /// <summary>The SNMPv3 users every agent has: (name, net-snmp auth, net-snmp priv) with the passwords above.</summary>
    public static readonly (string Name, string Auth, string Priv)[] Users =
    [
        ("sha-aes", "SHA", "AES"),
        ("sha256-aes256", "SHA-256", "AES-256"),
        ("sha-aes256", "SHA", "AES-256"),
        ("md5-des", "MD5", "DES"),
        ("sha512-aes192", "SHA-512", "AES-192"),
        ("sha384-auth", "SHA-384", ""),
    ];

    readonly TemporaryFolder _folder;
    Process? _process;

    NetSnmpAgent(TemporaryFolder folder, int port)
    {
        _folder = folder;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public string Address => $"127.0.0.1:{EndPoint.Port.ToString(CultureInfo.InvariantCulture)}";

    public string Folder => _folder.Path;

    public bool Running => _process is { HasExited: false };

    static string PersistentFolder(string folder) => Path.Combine(folder, "persist");

    public static async Task EnsureInstalledAsync()
    {
        if (Installed())
            return;
        await PackageInstaller.InstallAsync("net-snmp", ["snmpd", "snmp", "snmptrapd"], Installed, TestInfrastructure.StateDirectory,
            TestInfrastructure.Loggers.CreateLogger("net-snmp"), CancellationToken.None);
    }

    static bool Installed() => File.Exists("/usr/sbin/snmpd") && File.Exists("/usr/bin/snmpget") && File.Exists("/usr/sbin/snmptrapd");

    public static async Task<NetSnmpAgent> StartAsync()
    {
        await EnsureInstalledAsync();
        var folder = new TemporaryFolder("dotmac-snmpd");
        var agent = new NetSnmpAgent(folder, FreeUdpPort());
        Directory.CreateDirectory(PersistentFolder(folder.Path));
        var users = string.Join('\n', Users.Select(u => $"createUser {u.Name} {u.Auth} \"{AuthPassword}\"" + (u.Priv.Length > 0 ? $" {u.Priv} \"{PrivPassword}\"" : "")));
        var access = string.Join('\n', Users.Select(u => $"rwuser {u.Name} {(u.Priv.Length > 0 ? "authpriv" : "auth")}"));
        // The listen address lives here and nowhere else.
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "snmpd.conf"), $"""
            agentAddress udp:{agent.Address}
            rocommunity {ReadCommunity} 127.0.0.1
            rwcommunity {WriteCommunity} 127.0.0.1
            {users}
            {access}
            """);
        try
        {
            await agent.StartAgainAsync();
        }
        catch
        {
            agent.Dispose();
            throw;
        }
        return agent;
    }

    /// <summary>Starts snmpd (again) on the same port and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/snmpd")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-f", "-I", "-smux", "-C", "-c", Path.Combine(Folder, "snmpd.conf"), "-m", "", "-Lf", Path.Combine(Folder, "snmpd.log"), "-p", Path.Combine(Folder, "snmpd.pid")])
            start.ArgumentList.Add(argument);
        start.Environment["SNMP_PERSISTENT_DIR"] = PersistentFolder(Folder);
        _process = Process.Start(start) ?? throw new InvalidOperationException("snmpd did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        var probe = new ShellResult(-1, "", "");
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"snmpd exited with {_process.ExitCode}: {ReadLog()}");
            probe = await ToolAsync("snmpget", "-v2c", "-c", ReadCommunity, "-t", "0.2", "-r", "0", Address, ".1.3.6.1.2.1.1.3.0");
            if (probe.Succeeded)
                return;
        }
        throw new InvalidOperationException($"snmpd did not answer within 15 s ({probe.Describe()}): {ReadLog()}");
    }

    /// <summary>Kills our snmpd (by its process id) and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Runs one of net-snmp's tools with no MIBs loaded and our private persistent folder.</summary>
    public Task<ShellResult> ToolAsync(string tool, params string[] arguments) => RunToolAsync(PersistentFolder(Folder), tool, arguments);

    /// <summary>The same without an agent (snmptrap, snmpinform), keeping its state in <paramref name="persistentFolder"/>.</summary>
    public static Task<ShellResult> RunToolAsync(string persistentFolder, string tool, params string[] arguments) =>
        Shell.RunAsync($"/usr/bin/{tool}", ["-m", "", .. arguments], TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["SNMP_PERSISTENT_DIR"] = persistentFolder });

    public string ReadLog()
    {
        var log = Path.Combine(Folder, "snmpd.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _folder.Dispose();
    }
}
