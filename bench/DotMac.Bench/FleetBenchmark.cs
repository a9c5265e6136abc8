using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DotMac.AppHost.Infrastructure;

namespace DotMac.Bench;

/// <summary>
/// fleet: seconds from starting the (already built) AppHost to all ten services healthy behind the gateway, and
/// the peak RSS of each service after it has idled; the peer is a bare ASP.NET Core app's peak RSS, same machine,
/// same run. Goals: 30 s, 150 MB per service.
/// </summary>
public static class FleetBenchmark
{
    const int Offset = 2000;
    sealed record Resource(string Name, string Kind, string State, int? Pid);

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var configuration = args.FirstOrDefault() ?? "Release";
        var apphost = Path.Combine(root, "DotMac.AppHost", "bin", configuration, "net10.0", "DotMac.AppHost.dll");
        if (!File.Exists(apphost))
            throw new FileNotFoundException($"{apphost} is missing; bench/run builds it first.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var gateway = new Uri($"http://localhost:{5000 + Offset}/health");
        var dashboard = new Uri($"http://localhost:{18888 + Offset}/api/resources");

        Console.WriteLine($"Starting the fleet from {apphost} (ports +{Offset})");
        var clock = Stopwatch.StartNew();
        using var fleet = Start("dotnet", apphost, $"--Ports:Offset={Offset}");
        while (!await IsOkAsync(http, gateway))
        {
            if (fleet.HasExited || clock.Elapsed > TimeSpan.FromMinutes(3))
                throw new InvalidOperationException("The fleet did not become healthy within 3 minutes.");
            await Task.Delay(100);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"all ten healthy after {seconds:0.0} s");

        Console.WriteLine("Idling 20 s, then reading each service's peak RSS");
        await Task.Delay(TimeSpan.FromSeconds(20));
        var resources = await http.GetFromJsonAsync<List<Resource>>(dashboard, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];
        var rss = resources.Where(r => r is { Kind: "project", Pid: not null })
            .ToDictionary(r => r.Name, r => (object)PeakRssMb(r.Pid!.Value));
        foreach (var (name, mb) in rss.OrderBy(p => p.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {name,-11} {mb,6:0.0} MB");

        Unix.Signal(fleet.Id, Unix.SigTerm);
        await fleet.WaitForExitAsync();

        var peer = await PeerRssAsync(http);
        var worst = rss.Values.Cast<double>().Max();
        Console.WriteLine($"peer (bare ASP.NET Core app) {peer:0.0} MB; largest service {worst:0.0} MB = {worst / peer:0.00}x");
        return new BenchResult("fleet", "seconds_to_all_healthy", Math.Round(seconds, 1), "s", 30,
            "bare ASP.NET Core app (peak RSS, MB)", Math.Round(peer, 1), Math.Round(worst / peer, 2),
            new Dictionary<string, object>
            {
                ["rss_mb"] = rss,
                ["rss_max_mb"] = Math.Round(worst, 1),
                ["rss_goal_mb"] = 150,
                ["configuration"] = configuration,
            });
    }

    static async Task<double> PeerRssAsync(HttpClient http)
    {
        var port = Ports.FirstFree(47000);
        using var peer = Start("dotnet", typeof(FleetBenchmark).Assembly.Location, "peer-minimal-app", port.ToString(CultureInfo.InvariantCulture));
        while (!await IsOkAsync(http, new Uri($"http://127.0.0.1:{port}/alive")))
            await Task.Delay(50);
        await Task.Delay(TimeSpan.FromSeconds(20));
        var mb = PeakRssMb(peer.Id);
        peer.Kill();
        return mb;
    }

    static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<bool> IsOkAsync(HttpClient http, Uri uri)
    {
        try
        {
            using var response = await http.GetAsync(uri);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>VmHWM: the most resident memory the process has had.</summary>
    static double PeakRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return Math.Round(kb / 1024, 1);
    }
}
