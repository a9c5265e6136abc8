using System.Diagnostics;
using DotMac.AppHost.Infrastructure;

namespace DotMac.AppHost.Hosting;

/// <summary>
/// Runs one project's built assembly, streams its output, polls its /health, and restarts it with backoff when it
/// dies unasked. Its pid is recorded so a later AppHost can clean up after one that was killed.
/// </summary>
public sealed class ProjectRunner(ProjectResource resource, string stateDirectory, string environmentName, IReadOnlyDictionary<string, string> extraEnvironment)
{
    static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(3) };

    readonly ResourceStatus _status = resource.Status;
    readonly Lock _lock = new();
    Process? _process;
    bool _stopping;
    int _generation;

    string PidFile => Path.Combine(stateDirectory, $"{resource.Name}.pid");

    public void Start()
    {
        lock (_lock)
        {
            if (_stopping)
                return;
            var start = new ProcessStartInfo("dotnet")
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

            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Output(e.Data, error: false);
            process.ErrorDataReceived += (_, e) => Output(e.Data, error: true);
            var generation = ++_generation;
            process.Exited += (_, _) => OnExited(process, generation);
            if (!File.Exists(resource.Project.AssemblyPath))
            {
                _status.Set(ResourceState.Failed, $"{resource.Project.AssemblyPath} is missing: build the solution first");
                return;
            }
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            File.WriteAllText(PidFile, $"{process.Id}\n{resource.Project.AssemblyPath}\n");
            _status.Pid = process.Id;
            _status.StartedAt = DateTimeOffset.UtcNow;
            _status.Url = resource.Url.ToString();
            _status.Set(ResourceState.Starting);
            _ = WatchHealthAsync(process, generation);
        }
    }

    /// <summary>Stops the current process (SIGTERM, then SIGKILL after the grace period) and starts it again.</summary>
    public async Task RestartAsync()
    {
        _status.Set(ResourceState.Restarting, "restart requested");
        Process? current;
        lock (_lock)
        {
            current = _process;
            _generation++; // the old process's exit is expected, not a crash
        }
        if (current is not null)
            await EndAsync(current, TimeSpan.FromSeconds(8));
        _status.Restarts++;
        Start();
    }

    public async Task StopAsync(TimeSpan grace)
    {
        Process? current;
        lock (_lock)
        {
            _stopping = true;
            current = _process;
        }
        _status.Set(ResourceState.Stopping);
        if (current is not null)
            await EndAsync(current, grace);
        if (File.Exists(PidFile))
            File.Delete(PidFile);
        _status.Pid = null;
        _status.Set(ResourceState.Stopped);
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

    void Output(string? line, bool error)
    {
        if (line is null)
            return;
        _status.Log(line, error);
        ConsoleLog.Write(resource.Name, line, error);
    }

    void OnExited(Process process, int generation)
    {
        int code;
        try
        {
            code = process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }
        lock (_lock)
        {
            if (_stopping || generation != _generation)
                return;
        }
        _status.Set(ResourceState.Crashed, $"exited with code {code}");
        ConsoleLog.Write("apphost", $"{resource.Name} exited with code {code}", error: true);
        _ = RestartAfterCrashAsync();
    }

    async Task RestartAfterCrashAsync()
    {
        // 1 s, 2 s, 4 s ... up to 30 s; a run that stayed up a minute resets the count.
        var uptime = DateTimeOffset.UtcNow - (_status.StartedAt ?? DateTimeOffset.UtcNow);
        var attempt = uptime > TimeSpan.FromMinutes(1) ? 0 : Math.Min(_status.Restarts, 5);
        var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt)));
        _status.Set(ResourceState.Restarting, $"restarting in {delay.TotalSeconds:0} s");
        await Task.Delay(delay);
        lock (_lock)
        {
            if (_stopping)
                return;
        }
        _status.Restarts++;
        ConsoleLog.Write("apphost", $"restarting {resource.Name} (restart {_status.Restarts})");
        Start();
    }

    async Task WatchHealthAsync(Process process, int generation)
    {
        var health = new Uri(resource.InternalUrl, "/health");
        while (true)
        {
            lock (_lock)
            {
                if (_stopping || generation != _generation)
                    return;
            }
            if (process.HasExited)
                return;
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
            if (healthy)
                _status.Set(ResourceState.Healthy);
            else if (_status.State != ResourceState.Starting || detail is not null)
                _status.Set(_status.HealthyAt is null && detail is null ? ResourceState.Starting : ResourceState.Unhealthy, Summarise(detail));
            await Task.Delay(_status.State == ResourceState.Healthy ? 2000 : 500);
        }
    }

    static string? Summarise(string? detail) => detail is { Length: > 300 } ? detail[..300] + "…" : detail;

    static async Task EndAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
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
