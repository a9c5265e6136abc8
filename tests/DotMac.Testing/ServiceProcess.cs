using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using DotMac.AppHost.Infrastructure;

namespace DotMac.Testing;

/// <summary>
/// A built service run as its own process, the way the AppHost runs it, so a test can kill it (SIGKILL, no
/// shutdown) and start it again. Configuration goes in as environment variables (ConnectionStrings__x, ...).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly ConcurrentQueue<string> _output = new();
    readonly Process _process;
    bool _disposed;

    ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    /// <summary>The build output of a project of the repository, e.g. ("services/ops/DotMac.Ops", "DotMac.Ops").</summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var path = Path.Combine(root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.");
    }

    public static ServiceProcess Start(string assembly, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        // Below the kernel's ephemeral range, so a port given up by a killed process is still free for its restart.
        var address = new Uri($"http://127.0.0.1:{port ?? Ports.FirstFree(20000 + Random.Shared.Next(6000))}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = Environment.GetEnvironmentVariable("DOTMAC_TEST_LOGS") == "1" ? "Information" : "Warning";
        start.Environment["Logging__LogLevel__MassTransit"] = "Error";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for /health to answer 200; fails with the process's output if it does not.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                using var response = await Client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Address} was not healthy within {timeout.TotalSeconds} s:\n{Tail()}");
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await KillAsync();
        Client.Dispose();
        _process.Dispose();
    }
}
