using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// A RabbitMQ node for local work: the one ConnectionStrings:messaging names, or a DotMac-managed node run from
/// Debian's rabbitmq-server (installed with apt-get when missing) with its own node name, ports, config, cookie
/// and data in the state folder, so it never touches a system node. The management API is on, for virtual hosts.
/// </summary>
public sealed class RabbitMqServer : ManagedServer
{
    public const int DefaultPort = 55672;
    const string User = "dotmac";
    const string LibDirectory = "/usr/lib/rabbitmq/bin";

    readonly int _preferredPort;
    readonly Uri? _explicitUri;
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    int _port;
    int _managementPort;

    RabbitMqServer(string name, string stateDirectory, ILogger logger, string? explicitConnectionString, int preferredPort)
        : base("RabbitMQ", name, stateDirectory, logger, explicitConnectionString is not null)
    {
        _preferredPort = preferredPort;
        if (explicitConnectionString is not null)
        {
            _explicitUri = new Uri(explicitConnectionString);
            _port = _explicitUri.IsDefaultPort || _explicitUri.Port < 0 ? 5672 : _explicitUri.Port;
            _managementPort = 15672;
        }
    }

    public int Port => _port;
    public int ManagementPort => _managementPort;
    // Unique per state folder: two checkouts (or a test's private node) never fight over one Erlang node name.
    string NodeName => $"dotmac-{Name}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Home)))[..6]}@localhost";
    string Password => _explicitUri is null ? Secrets.ReadOrCreate(Path.Combine(Home, "password")) : UserInfo()[1];
    string Username => _explicitUri is null ? User : UserInfo()[0];

    string[] UserInfo()
    {
        var parts = _explicitUri!.UserInfo.Split(':', 2);
        return [Uri.UnescapeDataString(parts[0] is "" ? "guest" : parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "guest"];
    }

    /// <summary>An amqp:// URI for <paramref name="virtualHost"/> ("/" is the default one).</summary>
    public string ConnectionStringFor(string virtualHost = "/")
    {
        var host = _explicitUri?.Host ?? "127.0.0.1";
        var vhost = virtualHost == "/" ? "" : Uri.EscapeDataString(virtualHost);
        return $"amqp://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{host}:{_port}/{vhost}";
    }

    public string ConnectionString => ConnectionStringFor();

    /// <summary>The management API's base address with credentials (http://user:password@host:port/).</summary>
    public string ManagementUri =>
        $"http://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{_explicitUri?.Host ?? "127.0.0.1"}:{_managementPort}/";

    public static async Task<RabbitMqServer> AcquireAsync(
        string stateDirectory, ILogger logger, string? explicitConnectionString = null,
        string name = "rabbitmq", int preferredPort = DefaultPort, CancellationToken cancellationToken = default)
    {
        var server = new RabbitMqServer(name, stateDirectory, logger, string.IsNullOrWhiteSpace(explicitConnectionString) ? null : explicitConnectionString, preferredPort);
        if (server.External)
            logger.LogInformation("Using RabbitMQ from the configured connection string ({Host}:{Port})", server._explicitUri!.Host, server._port);
        await server.AcquireAsync(cancellationToken);
        return server;
    }

    /// <summary>Creates a virtual host and gives our user all rights on it (management API).</summary>
    public async Task CreateVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        var name = Uri.EscapeDataString(virtualHost);
        await ManagementAsync(HttpMethod.Put, $"vhosts/{name}", "{}", cancellationToken);
        await ManagementAsync(HttpMethod.Put, $"permissions/{name}/{Uri.EscapeDataString(Username)}",
            """{"configure":".*","write":".*","read":".*"}""", cancellationToken);
    }

    public Task DeleteVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        ManagementAsync(HttpMethod.Delete, $"vhosts/{Uri.EscapeDataString(virtualHost)}", null, cancellationToken, allowNotFound: true);

    async Task ManagementAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        var host = _explicitUri?.Host ?? "127.0.0.1";
        using var request = new HttpRequestMessage(method, $"http://{host}:{_managementPort}/api/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && !(allowNotFound && response.StatusCode == System.Net.HttpStatusCode.NotFound))
            throw new InfrastructureException($"RabbitMQ management API {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    protected override string Describe() => $"node {NodeName}, amqp 127.0.0.1:{_port}, management {_managementPort}";

    string PidFile => Path.Combine(Home, "rabbitmq.pid");

    /// <summary>What our node's command line carries (its HOME, as "-home"), so we never signal anyone else's.</summary>
    string OwnershipMarker => $"-home {Path.Combine(Home, "home")} ";

    protected override async Task<bool> IsServingAsync(CancellationToken cancellationToken)
    {
        var info = ReadInstance();
        if (info?.ManagementPort is null || ServerPid() is not { } pid || !Unix.IsRunning(pid))
            return false;
        _port = info.Port;
        _managementPort = info.ManagementPort.Value;
        return await Ports.AcceptsAsync(_port, TimeSpan.FromSeconds(2)) && await ManagementReadyAsync(cancellationToken);
    }

    protected override async Task<bool> CleanStaleAsync(CancellationToken cancellationToken)
    {
        var marker = OwnershipMarker;
        if (ServerPid() is { } pid)
        {
            if (Unix.IsRunning(pid))
            {
                // Give a slow start (management plugin still loading) a moment before calling it hung; a node others hold
                // is in use, and on a loaded machine (several test hosts on two cores) it can miss probes for longer: it
                // gets more time before the clear refusal below.
                var deadline = DateTime.UtcNow + (Leases.Holders().Count > 0 ? TimeSpan.FromSeconds(45) : TimeSpan.FromSeconds(10));
                while (DateTime.UtcNow < deadline)
                {
                    if (await IsServingAsync(cancellationToken))
                        return true;
                    await Task.Delay(500, cancellationToken);
                }
                RefuseToEndWhileHeld(pid);
                Logger.LogWarning("RabbitMQ process {Pid} runs but does not serve; stopping it and starting afresh", pid);
                await EndProcessAsync(pid, marker, TimeSpan.FromSeconds(10));
            }
            else
            {
                Logger.LogWarning("Removing the stale RabbitMQ pid file of process {Pid}, which is gone", pid);
            }
            File.Delete(PidFile);
        }
        // A node of ours may still run without a pid file (killed before it wrote one): find it by its home folder.
        foreach (var orphan in ProcessesUsing(marker))
        {
            Logger.LogWarning("Stopping a half-started RabbitMQ process {Pid}", orphan);
            await EndProcessAsync(orphan, marker, TimeSpan.FromSeconds(10));
        }
        return false;
    }

    protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var bin = await BinariesAsync(cancellationToken);
        _port = Ports.FirstFree(_preferredPort);
        _managementPort = Ports.FirstFree(_port + 2);
        var distPort = Ports.FirstFree(_port + 1);
        if (distPort == _managementPort)
            _managementPort = Ports.FirstFree(_managementPort + 1);
        WriteConfiguration(distPort);

        Logger.LogInformation("Starting RabbitMQ node {Node} on 127.0.0.1:{Port} (management {Management}; data in {Data})",
            NodeName, _port, _managementPort, Path.Combine(Home, "mnesia"));
        var env = Environment(distPort);
        var start = await Shell.RunAsync(Path.Combine(bin, "rabbitmq-server"), ["-detached"], TimeSpan.FromSeconds(30), env, cancellationToken: cancellationToken);
        if (!start.Succeeded)
            throw new InfrastructureException($"rabbitmq-server did not start: {start.Describe()} (logs in {Path.Combine(Home, "log")}).");
        var wait = await Shell.RunAsync(Path.Combine(bin, "rabbitmqctl"), ["-n", NodeName, "wait", "--timeout", "60", PidFile],
            TimeSpan.FromSeconds(75), env, cancellationToken: cancellationToken);
        if (!wait.Succeeded)
            throw new InfrastructureException($"RabbitMQ did not come up: {wait.Describe()} (logs in {Path.Combine(Home, "log")}).");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await ManagementReadyAsync(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
                throw new InfrastructureException($"RabbitMQ's management API on port {_managementPort} did not answer within 30 s.");
            await Task.Delay(200, cancellationToken);
        }
        WriteInstance(new InstanceInfo(_port, _managementPort));
    }

    protected override async Task StopServerAsync(CancellationToken cancellationToken)
    {
        if (ServerPid() is not { } pid || !Unix.IsRunning(pid))
            return;
        if (ReadInstance() is { ManagementPort: { } management } info)
            (_port, _managementPort) = (info.Port, management);
        Logger.LogInformation("Stopping RabbitMQ ({Address})", Describe());
        // The node shuts down cleanly on SIGTERM; rabbitmqctl would first boot a VM of its own to ask it to.
        await EndProcessAsync(pid, OwnershipMarker, TimeSpan.FromSeconds(15));
        if (File.Exists(PidFile))
            File.Delete(PidFile);
        await StopIdlePortMapperAsync(cancellationToken);
    }

    /// <summary>Our node started Erlang's port mapper (epmd); stop it too unless another node still uses it.</summary>
    async Task StopIdlePortMapperAsync(CancellationToken cancellationToken)
    {
        var epmd = Shell.Find("epmd", Directory.Exists("/usr/lib/erlang")
            ? Directory.GetFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories)
            : []);
        if (epmd is null)
            return;
        var names = await Shell.RunAsync(epmd, ["-names"], TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
        if (names.Succeeded && !names.Output.Contains("name ", StringComparison.Ordinal))
            await Shell.RunAsync(epmd, ["-kill"], TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
    }

    void WriteConfiguration(int distPort)
    {
        foreach (var dir in new[] { "home", "mnesia", "log" })
            Directory.CreateDirectory(Path.Combine(Home, dir));
        // default_user/default_pass only take effect when the node creates its database (first start).
        Secrets.WritePrivate(Path.Combine(Home, "rabbitmq.conf"), string.Join('\n',
            $"listeners.tcp.default = 127.0.0.1:{_port}",
            $"management.tcp.ip = 127.0.0.1",
            $"management.tcp.port = {_managementPort}",
            $"default_user = {User}",
            $"default_pass = {Password}",
            "default_vhost = /",
            "loopback_users = none",
            "log.console = false",
            "log.file.level = warning",
            "disk_free_limit.absolute = 200MB",
            "vm_memory_high_watermark.relative = 0.25",
            $"# distribution port {distPort}") + "\n");
        File.WriteAllText(Path.Combine(Home, "enabled_plugins"), "[rabbitmq_management].\n");
        File.WriteAllText(Path.Combine(Home, "rabbitmq-env.conf"), "");
    }

    Dictionary<string, string> Environment(int distPort) => new()
    {
        ["HOME"] = Path.Combine(Home, "home"), // the Erlang cookie lives here, ours alone
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = _port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Home, "rabbitmq.conf"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Home, "rabbitmq-env.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Home, "advanced.config"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Home, "enabled_plugins"),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Home, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(Home, "log"),
        ["RABBITMQ_PID_FILE"] = PidFile,
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
    };

    async Task<bool> ManagementReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_managementPort}/api/overview");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
            using var response = await Http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    async Task<string> BinariesAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            await PackageInstaller.InstallAsync("RabbitMQ", ["rabbitmq-server"], () => FindBinaries() is not null, Path.GetDirectoryName(Home)!, Logger, cancellationToken);
            bin = FindBinaries() ?? throw new InfrastructureException($"RabbitMQ was installed but {LibDirectory}/rabbitmq-server is missing.");
        }
        return bin;
    }

    static string? FindBinaries() =>
        File.Exists(Path.Combine(LibDirectory, "rabbitmq-server")) && File.Exists(Path.Combine(LibDirectory, "rabbitmqctl")) ? LibDirectory : null;

    int? ServerPid() => ReadPid(PidFile);

    static IEnumerable<int> ProcessesUsing(string marker)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != System.Environment.ProcessId
                && Unix.CommandLine(pid) is { } cmd && (cmd + " ").Contains(marker, StringComparison.Ordinal) && cmd.Contains("beam", StringComparison.Ordinal))
                yield return pid;
        }
    }
}
