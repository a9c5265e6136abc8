using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// What the PostgreSQL and RabbitMQ servers share: an explicit connection string is used as is; otherwise a
/// DotMac-managed server is reused if running, or started. Holders take a lease; the last one out stops it.
/// </summary>
public abstract class ManagedServer : IAsyncDisposable
{
    protected ManagedServer(string kind, string name, string stateDirectory, ILogger logger, bool external)
    {
        Kind = kind;
        Name = name;
        Home = Path.Combine(stateDirectory, name);
        Logger = logger;
        External = external;
        Leases = new Leases(Path.Combine(Home, "leases"));
    }

    public string Kind { get; }
    public string Name { get; }
    public string Home { get; }
    public bool External { get; }
    protected ILogger Logger { get; }
    protected Leases Leases { get; }
    protected string LockPath => Path.Combine(Home, "lock");
    protected string InstanceFile => Path.Combine(Home, "instance.json");

    const int StartAttempts = 3;

    protected sealed record InstanceInfo(int Port, int? ManagementPort = null);

    protected InstanceInfo? ReadInstance()
    {
        try
        {
            return File.Exists(InstanceFile) ? JsonSerializer.Deserialize<InstanceInfo>(File.ReadAllText(InstanceFile)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected void WriteInstance(InstanceInfo info) => File.WriteAllText(InstanceFile, JsonSerializer.Serialize(info));

    /// <summary>Reuse or start the managed server and take a lease on it (under the server's lock).</summary>
    protected async Task AcquireAsync(CancellationToken cancellationToken)
    {
        if (External)
            return;
        Directory.CreateDirectory(Home);
        using var _ = await FileLock.AcquireAsync(LockPath, TimeSpan.FromMinutes(5), cancellationToken);
        if (await IsServingAsync(cancellationToken) || await CleanStaleAsync(cancellationToken))
        {
            Logger.LogInformation("Reusing the DotMac {Kind} '{Name}' already running ({Address})", Kind, Name, Describe());
        }
        else
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await StartServerAsync(cancellationToken);
                    break;
                }
                catch (Exception e)
                {
                    // Half-started (cancelled, timed out, refused): nobody holds it, so it must not outlive us.
                    if (Leases.Holders().Count == 0)
                        await StopServerAsync(CancellationToken.None);
                    // A port found free can be taken before the server binds it (our ports lie in the kernel's
                    // ephemeral range, so any outgoing connection may land on one): try again on fresh ports.
                    if (e is not InfrastructureException || attempt == StartAttempts || cancellationToken.IsCancellationRequested)
                        throw;
                    Logger.LogWarning("{Kind} '{Name}' did not start ({Error}); trying again ({Attempt} of {Attempts})", Kind, Name, e.Message, attempt + 1, StartAttempts);
                }
            }
        }
        Leases.Take();
    }

    /// <summary>Lets go of the lease; stops the server if nobody else holds one. An external server is never touched.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (External || !Leases.HeldByMe)
            return;
        using var _ = await FileLock.AcquireAsync(LockPath, TimeSpan.FromMinutes(1));
        Leases.Drop();
        var others = Leases.Holders();
        if (others.Count > 0)
        {
            Logger.LogInformation("Leaving the DotMac {Kind} '{Name}' running for {Count} other user(s)", Kind, Name, others.Count);
            return;
        }
        await StopServerAsync(CancellationToken.None);
    }

    /// <summary>Stops the managed server now, whoever holds it (failure tests); StartAsync brings it back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        EnsureManaged();
        using var _ = await FileLock.AcquireAsync(LockPath, TimeSpan.FromMinutes(1), cancellationToken);
        await StopServerAsync(cancellationToken);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureManaged();
        using var _ = await FileLock.AcquireAsync(LockPath, TimeSpan.FromMinutes(5), cancellationToken);
        if (!await IsServingAsync(cancellationToken) && !await CleanStaleAsync(cancellationToken))
            await StartServerAsync(cancellationToken);
    }

    void EnsureManaged()
    {
        if (External)
            throw new InvalidOperationException($"The {Kind} server comes from a connection string; DotMac does not stop or start it.");
    }

    protected abstract string Describe();
    protected abstract Task<bool> IsServingAsync(CancellationToken cancellationToken);
    /// <summary>Removes what a crashed or hung server left; true if it turns out to be serving after all.</summary>
    protected abstract Task<bool> CleanStaleAsync(CancellationToken cancellationToken);
    protected abstract Task StartServerAsync(CancellationToken cancellationToken);
    protected abstract Task StopServerAsync(CancellationToken cancellationToken);

    /// <summary>The pid on the first line of a server's pid file, if there is one.</summary>
    protected static int? ReadPid(string pidFile)
    {
        try
        {
            var first = File.Exists(pidFile) ? File.ReadLines(pidFile).FirstOrDefault()?.Trim() : null;
            return int.TryParse(first, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Ends a server process: SIGTERM, then SIGKILL after the grace period. Only a process whose command line names
    /// <paramref name="ownedBy"/> (our data folder) is touched: after a reboot a recorded pid may be anyone's.
    /// </summary>
    protected async Task EndProcessAsync(int pid, string ownedBy, TimeSpan grace)
    {
        if (!Unix.IsRunning(pid))
            return;
        if ((Unix.CommandLine(pid) + " ").Contains(ownedBy, StringComparison.Ordinal) != true)
        {
            Logger.LogWarning("Process {Pid} named in a {Kind} pid file is not ours (no {Marker} in its command line); leaving it alone", pid, Kind, ownedBy);
            return;
        }
        Unix.Signal(pid, Unix.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (Unix.IsRunning(pid) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        if (!Unix.IsRunning(pid))
            return;
        Logger.LogWarning("{Kind} process {Pid} did not stop within {Seconds} s; killing it", Kind, pid, grace.TotalSeconds);
        Unix.Signal(pid, Unix.SigKill);
        var killDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Unix.IsRunning(pid))
        {
            if (DateTime.UtcNow > killDeadline)
                throw new InfrastructureException($"{Kind} process {pid} survived SIGKILL for 10 s; end it by hand.");
            await Task.Delay(50);
        }
    }

    /// <summary>A server that others hold but that does not answer is theirs to deal with, not ours to kill.</summary>
    protected void RefuseToEndWhileHeld(int pid)
    {
        var holders = Leases.Holders();
        if (holders.Count > 0)
            throw new InfrastructureException(
                $"The DotMac {Kind} '{Name}' (pid {pid}) does not answer, but processes {string.Join(", ", holders.Distinct())} use it; stop them or the server, then start again.");
    }
}
