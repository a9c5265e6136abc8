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
        if (await IsServingAsync(cancellationToken))
        {
            Logger.LogInformation("Reusing the DotMac {Kind} '{Name}' already running ({Address})", Kind, Name, Describe());
        }
        else
        {
            await CleanStaleAsync(cancellationToken);
            await StartServerAsync(cancellationToken);
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
        if (!await IsServingAsync(cancellationToken))
        {
            await CleanStaleAsync(cancellationToken);
            await StartServerAsync(cancellationToken);
        }
    }

    void EnsureManaged()
    {
        if (External)
            throw new InvalidOperationException($"The {Kind} server comes from a connection string; DotMac does not stop or start it.");
    }

    protected abstract string Describe();
    protected abstract Task<bool> IsServingAsync(CancellationToken cancellationToken);
    protected abstract Task CleanStaleAsync(CancellationToken cancellationToken);
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

    /// <summary>Waits for a process to go, then kills it if it will not.</summary>
    protected async Task EndProcessAsync(int pid, TimeSpan grace)
    {
        if (!Unix.IsRunning(pid))
            return;
        Unix.Signal(pid, Unix.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (Unix.IsRunning(pid) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        if (Unix.IsRunning(pid))
        {
            Logger.LogWarning("{Kind} process {Pid} did not stop within {Seconds} s; killing it", Kind, pid, grace.TotalSeconds);
            Unix.Signal(pid, Unix.SigKill);
            while (Unix.IsRunning(pid))
                await Task.Delay(50);
        }
    }
}
