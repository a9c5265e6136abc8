using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using DotMac.AppHost.Infrastructure;

namespace DotMac.AppHost.Tests;

/// <summary>The AppHost as a user runs it: its built assembly in a process of its own, with its output kept.</summary>
public sealed class FleetProcess : IDisposable
{
    readonly ConcurrentQueue<string> _output = new();
    readonly Process _process;

    FleetProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static FleetProcess Start(int portOffset)
    {
        var configuration = typeof(FleetProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var assembly = Path.Combine(root, "DotMac.AppHost", "bin", configuration, "net10.0", "DotMac.AppHost.dll");
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"Build the solution first: {assembly} is missing.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add($"--Ports:Offset={portOffset}");
        start.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = start };
        var fleet = new FleetProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) fleet._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) fleet._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return fleet;
    }

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    public string Output => string.Join('\n', _output);

    /// <summary>True if the process ended in time; its output is then complete (the timed overload alone returns
    /// before the redirected streams are drained).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
