using System.Diagnostics;
using System.Runtime.InteropServices;
using DotMac.AppHost.Infrastructure;

namespace DotMac.AppHost.Hosting;

/// <summary>
/// Runs one project's built assembly, streams its output, polls its /health, and restarts it with backoff when it
/// dies unasked. Starts and restarts are serialised, and every process carries a generation so a late exit or a
/// late backoff timer of an old process never touches the current one. Pids are recorded so a later AppHost can
/// clean up after one that was killed.
/// </summary>
public sealed class ProjectRunner(ProjectResource resource, string stateDirectory, string environmentName, IReadOnlyDictionary<string, string> extraEnvironment)
{
    static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(3) };
    static readonly TimeSpan StableRun = TimeSpan.FromMinutes(1);

    readonly ResourceStatus _status = resource.Status;
    readonly SemaphoreSlim _gate = new(1, 1);
    Process? _process;
    bool _stopping;
    int _generation;
    int _quickCrashes;

    string PidFile => Path.Combine(stateDirectory, $"{resource.Name}.pid");

    /// <summary>True once the project has been started: before that there is nothing to restart.</summary>
    public bool Started { get; private set; }

    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            StartLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the current process (SIGTERM, then SIGKILL after the grace period) and starts it again.</summary>
    public async Task RestartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_stopping)
                return;
            _status.Set(ResourceState.Restarting, "restart requested");
            _generation++; // the old process's exit, and any pending backoff, belong to the past
            await EndCurrentAsync(TimeSpan.FromSeconds(8));
            _status.Restarts++;
            StartLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(TimeSpan grace)
    {
        await _gate.WaitAsync();
        try
        {
            _stopping = true;
            _generation++;
            _status.Set(ResourceState.Stopping);
            await EndCurrentAsync(grace);
            if (File.Exists(PidFile))
                File.Delete(PidFile);
            _status.Pid = null;
            _status.Set(ResourceState.Stopped);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills what a previous AppHost left running (it was killed before it could stop its services).</summary>
    public static void KillOrphan(string stateDirectory, string name)
    {
        var pidFile = Path.Combine(stateDirectory, $"{name}.pid");
        if (!File.Exists(pidFile))
            return;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length >= 2 && int.TryParse(lines[0], out var pid) && Unix.IsRunning(pid)
            && Unix.CommandLine(pid)?.Contains(lines[1], StringComparison.Ordinal) == true)
        {
            ConsoleLog.Write("apphost", $"stopping {name} (pid {pid}) left running by an earlier AppHost");
            Unix.Signal(pid, Unix.SigKill);
        }
        File.Delete(pidFile);
    }

    void StartLocked()
    {
        if (_stopping || _process is { HasExited: false })
            return;
        if (!File.Exists(resource.Project.AssemblyPath))
        {
            _status.Set(ResourceState.Failed, $"{resource.Project.AssemblyPath} is missing: build the solution first");
            return;
        }
        var process = new Process { StartInfo = StartInfo(), EnableRaisingEvents = true };
        var generation = ++_generation;
        process.OutputDataReceived += (_, e) => Output(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Output(e.Data, error: true);
        process.Exited += (_, _) => _ = OnExitedAsync(process, generation);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            _status.Set(ResourceState.Failed, $"could not start {process.StartInfo.FileName}: {ex.Message}");
            return;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;
        Started = true;
        File.WriteAllText(PidFile, $"{process.Id}\n{resource.Project.AssemblyPath}\n");
        _status.Pid = process.Id;
        _status.StartedAt = DateTimeOffset.UtcNow;
        _status.Url = resource.Url.ToString();
        _status.Set(ResourceState.Starting);
        _ = WatchHealthAsync(process, generation);
    }

    ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(DotnetHost.Value)
        {
            WorkingDirectory = Path.GetDirectoryName(resource.Project.AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(resource.Project.AssemblyPath);
        start.Environment["ASPNETCORE_URLS"] = resource.Url.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["DOTNET_ENVIRONMENT"] = environmentName;
        start.Environment["OTEL_SERVICE_NAME"] = resource.Name;
        start.Environment["DOTMAC_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in extraEnvironment)
            start.Environment[key] = value;
        foreach (var (key, value) in resource.Environment)
            start.Environment[key] = value();
        return start;
    }

    /// <summary>The dotnet host that runs this AppHost, so a fleet started without dotnet on PATH still works.</summary>
    static readonly Lazy<string> DotnetHost = new(() =>
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    });

    void Output(string? line, bool error)
    {
        if (line is null)
            return;
        _status.Log(line, error);
        ConsoleLog.Write(resource.Name, line, error);
    }

    async Task OnExitedAsync(Process process, int generation)
    {
        await _gate.WaitAsync();
        TimeSpan delay;
        try
        {
            if (_stopping || generation != _generation)
                return;
            var code = process.ExitCode;
            var ranFor = DateTimeOffset.UtcNow - (_status.StartedAt ?? DateTimeOffset.UtcNow);
            // 1 s, 2 s, 4 s ... up to 30 s for crashes in quick succession; a run that stayed up a minute resets it.
            _quickCrashes = ranFor > StableRun ? 0 : _quickCrashes + 1;
            delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Max(0, _quickCrashes - 1))));
            _status.Set(ResourceState.Crashed, $"exited with code {code}");
            ConsoleLog.Write("apphost", $"{resource.Name} exited with code {code}; restarting in {delay.TotalSeconds:0} s", error: true);
            _status.Set(ResourceState.Restarting, $"exited with code {code}; restarting in {delay.TotalSeconds:0} s");
        }
        finally
        {
            _gate.Release();
        }

        await Task.Delay(delay);
        await _gate.WaitAsync();
        try
        {
            // Stopped, restarted by hand, or already replaced meanwhile: this timer is stale.
            if (_stopping || generation != _generation)
                return;
            _status.Restarts++;
            ConsoleLog.Write("apphost", $"restarting {resource.Name} (restart {_status.Restarts})");
            StartLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task WatchHealthAsync(Process process, int generation)
    {
        var health = new Uri(resource.InternalUrl, "/health");
        while (!_stopping && generation == _generation && !process.HasExited)
        {
            var healthy = false;
            string? detail = null;
            try
            {
                using var response = await Health.GetAsync(health);
                healthy = response.IsSuccessStatusCode;
                detail = healthy ? null : await response.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                detail = _status.State == ResourceState.Starting ? null : ex.Message;
            }
            if (generation != _generation)
                return;
            if (healthy)
                _status.Set(ResourceState.Healthy);
            else if (_status.State != ResourceState.Starting || detail is not null)
                _status.Set(_status.HealthyAt is null && detail is null ? ResourceState.Starting : ResourceState.Unhealthy, Summarise(detail));
            await Task.Delay(_status.State == ResourceState.Healthy ? 2000 : 500);
        }
    }

    static string? Summarise(string? detail) => detail is { Length: > 300 } ? detail[..300] + "…" : detail;

    async Task EndCurrentAsync(TimeSpan grace)
    {
        var process = _process;
        if (process is null || process.HasExited)
            return;
        Unix.Signal(process.Id, Unix.SigTerm);
        using var limit = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
