using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// A PostgreSQL server for local work: the one ConnectionStrings:postgres names, or a DotMac-managed one started
/// from the installed binaries (installed with apt-get when missing), with its data in the state folder.
/// </summary>
public sealed class PostgresServer : ManagedServer
{
    public const int DefaultPort = 55432;
    const string User = "dotmac";

    readonly int _preferredPort;
    readonly string _dataRoot;
    string _connectionString;

    PostgresServer(string name, string stateDirectory, ILogger logger, string? explicitConnectionString, int preferredPort)
        : base("PostgreSQL", name, stateDirectory, logger, explicitConnectionString is not null)
    {
        _preferredPort = preferredPort;
        _connectionString = explicitConnectionString ?? "";
        _dataRoot = DataRoot(Home);
    }

    /// <summary>Admin connection string (database "postgres").</summary>
    public string ConnectionString => _connectionString;

    public int Port => new NpgsqlConnectionStringBuilder(_connectionString).Port;

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_connectionString) { Database = database }.ConnectionString;

    public static async Task<PostgresServer> AcquireAsync(
        string stateDirectory, ILogger logger, string? explicitConnectionString = null,
        string name = "postgres", int preferredPort = DefaultPort, CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(name, stateDirectory, logger, string.IsNullOrWhiteSpace(explicitConnectionString) ? null : explicitConnectionString, preferredPort);
        if (server.External)
            logger.LogInformation("Using PostgreSQL from the configured connection string ({Host}:{Port})",
                new NpgsqlConnectionStringBuilder(server._connectionString).Host, server.Port);
        await server.AcquireAsync(cancellationToken);
        return server;
    }

    public async Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        try
        {
            // Identifiers cannot be parameters; the name is quoted, never spliced raw.
            await using var create = new NpgsqlCommand($"create database {QuoteIdentifier(database)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            Logger.LogInformation("Created database {Database}", database);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase || ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Created by someone else meanwhile: what we wanted.
        }
    }

    public async Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"drop database if exists {QuoteIdentifier(database)} with (force)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    protected override string Describe() => $"127.0.0.1:{Port}, data in {_dataRoot}";

    string DataDirectory => Path.Combine(_dataRoot, "data");
    string PidFile => Path.Combine(DataDirectory, "postmaster.pid");
    string? RunAs => Unix.IsRoot ? "postgres" : null; // PostgreSQL refuses to run as root

    protected override async Task<bool> IsServingAsync(CancellationToken cancellationToken)
    {
        var info = ReadInstance();
        if (info is null || !File.Exists(Path.Combine(Home, "password")))
            return false;
        _connectionString = Build(info.Port);
        return ServerPid() is { } pid && Unix.IsRunning(pid) && await CanConnectAsync(_connectionString, cancellationToken);
    }

    protected override async Task<bool> CleanStaleAsync(CancellationToken cancellationToken)
    {
        if (ServerPid() is not { } pid)
            return false;
        if (!Unix.IsRunning(pid))
        {
            Logger.LogWarning("Removing the stale PostgreSQL pid file of process {Pid}, which is gone", pid);
            File.Delete(PidFile);
            return false;
        }
        // Running but not answering us: give a slow start (or crash recovery) a moment, then treat it as hung.
        var info = ReadInstance();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (info is not null && DateTime.UtcNow < deadline)
        {
            if (await CanConnectAsync(Build(info.Port), cancellationToken))
            {
                _connectionString = Build(info.Port);
                return true;
            }
            await Task.Delay(250, cancellationToken);
        }
        RefuseToEndWhileHeld(pid);
        Logger.LogWarning("PostgreSQL process {Pid} runs but does not accept connections; stopping it and starting afresh", pid);
        await EndProcessAsync(pid, DataDirectory, TimeSpan.FromSeconds(3));
        if (File.Exists(PidFile))
            File.Delete(PidFile);
        return false;
    }

    protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var bin = await BinariesAsync(cancellationToken);
        Directory.CreateDirectory(_dataRoot);
        var password = Secrets.ReadOrCreate(Path.Combine(Home, "password"));
        if (RunAs is not null)
            await OwnAsync(_dataRoot, cancellationToken);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitializeAsync(bin, password, cancellationToken);

        var port = Ports.FirstFree(_preferredPort);
        Logger.LogInformation("Starting PostgreSQL on 127.0.0.1:{Port} (data in {Data})", port, DataDirectory);
        var options = string.Join(' ',
            $"-p {port}", "-h 127.0.0.1", "-k ''",
            // Local development and tests: durable against process kills, not against power loss.
            "-c fsync=off", "-c full_page_writes=off", "-c max_connections=500", "-c shared_buffers=128MB");
        var start = await Shell.RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_dataRoot, "server.log"), "-w", "-t", "60", "-o", options, "start"],
            TimeSpan.FromSeconds(90), asUser: RunAs, cancellationToken: cancellationToken);
        if (!start.Succeeded)
            throw new InfrastructureException($"PostgreSQL did not start: {start.Describe()} (see {Path.Combine(_dataRoot, "server.log")}).");

        _connectionString = Build(port);
        if (!await CanConnectAsync(_connectionString, cancellationToken))
            throw new InfrastructureException($"PostgreSQL started on port {port} but refuses the generated credentials in {Path.Combine(Home, "password")}; delete {_dataRoot} to start afresh.");
        WriteInstance(new InstanceInfo(port));
    }

    protected override async Task StopServerAsync(CancellationToken cancellationToken)
    {
        if (ServerPid() is not { } pid || !Unix.IsRunning(pid))
            return;
        Logger.LogInformation("Stopping PostgreSQL ({Address})", Describe());
        var bin = await BinariesAsync(cancellationToken);
        var stop = await Shell.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "20", "stop"],
            TimeSpan.FromSeconds(30), asUser: RunAs, cancellationToken: cancellationToken);
        if (!stop.Succeeded)
            Logger.LogWarning("pg_ctl stop: {Error}", stop.Describe());
        await EndProcessAsync(pid, DataDirectory, TimeSpan.FromSeconds(5));
        // Idle pooled connections in this process point at the server that is gone.
        NpgsqlConnection.ClearAllPools();
    }

    async Task InitializeAsync(string bin, string password, CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory))
        {
            Logger.LogWarning("Removing the half-initialised PostgreSQL data folder {Data}", DataDirectory);
            Directory.Delete(DataDirectory, recursive: true);
        }
        Logger.LogInformation("Initialising a PostgreSQL data folder in {Data} (first start)", DataDirectory);
        var pwfile = Path.Combine(_dataRoot, "initdb.pw");
        Secrets.WritePrivate(pwfile, password);
        try
        {
            if (RunAs is not null)
                await OwnAsync(pwfile, cancellationToken);
            var init = await Shell.RunAsync(Path.Combine(bin, "initdb"),
                ["-D", DataDirectory, "-U", User, $"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"],
                TimeSpan.FromMinutes(2), asUser: RunAs, cancellationToken: cancellationToken);
            if (!init.Succeeded)
                throw new InfrastructureException($"initdb failed: {init.Describe()}");
        }
        finally
        {
            File.Delete(pwfile);
        }
    }

    async Task<string> BinariesAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            await PackageInstaller.InstallAsync("PostgreSQL", ["postgresql"], () => FindBinaries() is not null, Path.GetDirectoryName(Home)!, Logger, cancellationToken);
            bin = FindBinaries() ?? throw new InfrastructureException("PostgreSQL was installed but initdb/pg_ctl are not where expected (/usr/lib/postgresql/<version>/bin).");
        }
        return bin;
    }

    static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")) && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
                return Path.Combine(newest.Dir, "bin");
        }
        var initdb = Shell.Find("initdb");
        return initdb is not null && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl")) ? Path.GetDirectoryName(initdb) : null;
    }

    int? ServerPid() => ReadPid(PidFile);

    string Build(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = User,
        Password = Secrets.ReadOrCreate(Path.Combine(Home, "password")),
        Database = "postgres",
        Timeout = 5,
        // Many services and test classes share one local server: keep idle pools small.
        MaxPoolSize = 50,
        ConnectionIdleLifetime = 60,
    }.ConnectionString;

    static async Task<bool> CanConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException)
        {
            // The server answered (too many clients, starting up, recovering): it is alive, not ours to replace.
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    async Task OwnAsync(string path, CancellationToken cancellationToken)
    {
        var chown = await Shell.RunAsync("chown", ["-R", "postgres:postgres", path], TimeSpan.FromMinutes(1), cancellationToken: cancellationToken);
        if (!chown.Succeeded)
            throw new InfrastructureException($"Could not give {path} to the postgres user: {chown.Describe()}");
    }

    /// <summary>
    /// Running as root, the server runs as the postgres user, which must be able to reach its data folder. If the
    /// repository sits where that user cannot go (under /root, say), the data lives under /var/lib/dotmac instead.
    /// </summary>
    static string DataRoot(string home)
    {
        if (!Unix.IsRoot || Reachable(home))
            return home;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(home)))[..12];
        return Path.Combine("/var/lib/dotmac", hash, Path.GetFileName(home));
    }

    static bool Reachable(string path)
    {
        // Every ancestor must be searchable by "others" for the postgres user to reach the folder.
        for (var dir = new DirectoryInfo(path).Parent; dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
                return false;
        }
        return true;
    }
}
