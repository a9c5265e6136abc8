using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DotMac.AppHost.Infrastructure;
using DotMac.Networking.Snmp;
using Microsoft.Extensions.Logging;

namespace DotMac.Bench;

/// <summary>
/// snmp: (1) varbinds/s of our bulk walk of the whole MIB of a real snmpd against net-snmp's snmpbulkwalk on the same
/// agent in the same run (both with max-repetitions 25; snmpbulkwalk's time includes its process start, as a user
/// sees it; 15 runs each, alternating, the medians compared). Goal: at least 1.0x. (2) Polling 10,000 simulated interfaces (100 devices x 100
/// interfaces, SnmpSimulator in its own process) the way the service's DevicePoller does: per device GETs of 30
/// varbinds (sysUpTime + 64-bit octet counters + oper status), at most 64 devices at once, bits/s from the previous
/// cycle. Goal: a cycle inside a 60 s interval using under one core (CPU seconds per cycle under 60).
/// </summary>
public static class SnmpBenchmark
{
    const int MaxRepetitions = 25;
    const int Runs = 15;
    const int Devices = 100;
    const int InterfacesPerDevice = 100;
    static readonly Oid Everything = Oid.Parse("1.3.6.1");

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider((category, _, line) => Console.WriteLine($"[{category}] {line}"))));
        await PackageInstaller.InstallAsync("net-snmp", ["snmpd", "snmp"], () => File.Exists("/usr/sbin/snmpd") && File.Exists("/usr/bin/snmpbulkwalk"),
            StateDirectory.Resolve(root), loggers.CreateLogger("net-snmp"), CancellationToken.None);

        var (ours, theirs, count, oursBest, theirsBest) = await CompareWalksAsync();
        var polling = await PollSimulatedInterfacesAsync(root);
        return new BenchResult("snmp", "walk_varbinds_per_second", Math.Round(ours), "varbinds/s", null,
            $"net-snmp snmpbulkwalk -Cr{MaxRepetitions} on the same snmpd", Math.Round(theirs), Math.Round(ours / theirs, 2), new Dictionary<string, object>
            {
                ["walk_varbinds"] = count,
                ["walk_runs"] = Runs,
                ["walk_best_ms"] = new Dictionary<string, double> { ["ours"] = oursBest, ["snmpbulkwalk"] = theirsBest },
                ["goal_ratio"] = 1.0,
                ["polling"] = polling,
            });
    }

    static async Task<(double Ours, double Theirs, int Count, double OursBestMs, double TheirsBestMs)> CompareWalksAsync()
    {
        var folder = Directory.CreateTempSubdirectory("dotmac-bench-snmpd").FullName;
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Dispose();
        var address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await File.WriteAllTextAsync(Path.Combine(folder, "snmpd.conf"), $"agentAddress udp:{address}\nrocommunity public 127.0.0.1\n");
        var environment = new Dictionary<string, string> { ["SNMP_PERSISTENT_DIR"] = Path.Combine(folder, "persist") };
        var start = new ProcessStartInfo("/usr/sbin/snmpd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-f", "-I", "-smux", "-C", "-c", Path.Combine(folder, "snmpd.conf"), "-m", "", "-Lf", Path.Combine(folder, "snmpd.log")])
            start.ArgumentList.Add(a);
        start.Environment["SNMP_PERSISTENT_DIR"] = environment["SNMP_PERSISTENT_DIR"];
        using var snmpd = Process.Start(start)!;
        try
        {
            using var client = new SnmpClient(new SnmpClientOptions { MaxRepetitions = MaxRepetitions, Timeout = TimeSpan.FromSeconds(2) });
            var target = new CommunityTarget(new IPEndPoint(IPAddress.Loopback, port), "public");
            for (var i = 0; i < 50 && !(await Shell.RunAsync("snmpget", ["-v2c", "-c", "public", "-m", "", "-t", "0.2", "-r", "0", address, "1.3.6.1.2.1.1.3.0"], TimeSpan.FromSeconds(5), environment)).Succeeded; i++)
                await Task.Delay(100);
            var count = (await client.WalkToListAsync(target, Everything)).Count; // warm-up, and the agent's caches too
            var ours = new List<double>();
            var theirs = new List<double>();
            var theirCount = 0;
            for (var run = 0; run < Runs; run++)
            {
                var clock = Stopwatch.StartNew();
                count = (await client.WalkToListAsync(target, Everything)).Count;
                ours.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                var walked = await Shell.RunAsync("snmpbulkwalk", ["-v2c", "-c", "public", "-m", "", "-On", $"-Cr{MaxRepetitions}", address, Everything.ToString()], TimeSpan.FromMinutes(2), environment);
                theirs.Add(clock.Elapsed.TotalSeconds);
                theirCount = walked.Output.Split('\n').Count(l => l.StartsWith(".1.", StringComparison.Ordinal) && !l.Contains("No more variables", StringComparison.Ordinal));
            }
            var (oursMedian, theirsMedian) = (Median(ours), Median(theirs));
            Console.WriteLine($"walk of {Everything}: ours {count:N0} varbinds in {oursMedian * 1000:0} ms median, {ours.Min() * 1000:0} ms best ({count / oursMedian:N0}/s); " +
                $"snmpbulkwalk {theirCount:N0} in {theirsMedian * 1000:0} ms median, {theirs.Min() * 1000:0} ms best ({theirCount / theirsMedian:N0}/s)");
            return (count / oursMedian, theirCount / theirsMedian, count, Math.Round(ours.Min() * 1000), Math.Round(theirs.Min() * 1000));
        }
        finally
        {
            snmpd.Kill();
            await snmpd.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static async Task<Dictionary<string, object>> PollSimulatedInterfacesAsync(string root)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in (string[])[typeof(SnmpBenchmark).Assembly.Location, "snmp-simulator", Devices.ToString(CultureInfo.InvariantCulture), InterfacesPerDevice.ToString(CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(a);
        using var simulator = Process.Start(start)!;
        try
        {
            var line = await simulator.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The simulator did not start");
            var ports = line["ports ".Length..].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            using var client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 2 });
            var poller = new SimulatedPoller(client, ports, InterfacesPerDevice);
            var cycles = new List<(double Wall, double Cpu, int Samples)>();
            for (var cycle = 0; cycle < 4; cycle++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var samples = await poller.CycleAsync(maxConcurrent: 64);
                cycles.Add((clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, samples));
                Console.WriteLine($"cycle {cycle + 1}: {Devices * InterfacesPerDevice:N0} interfaces in {cycles[^1].Wall:0.00} s wall, {cycles[^1].Cpu:0.00} s CPU, {samples:N0} rates");
                await Task.Delay(1000);
            }
            var measured = cycles.Skip(1).ToArray(); // the first cycle is the baseline reading (and JIT warm-up)
            return new Dictionary<string, object>
            {
                ["interfaces"] = Devices * InterfacesPerDevice,
                ["devices"] = Devices,
                ["cycle_seconds_max"] = Math.Round(measured.Max(c => c.Wall), 2),
                ["cpu_seconds_per_cycle_max"] = Math.Round(measured.Max(c => c.Cpu), 2),
                ["cores_over_60s_interval"] = Math.Round(measured.Max(c => c.Cpu) / 60, 3),
                ["rates_per_cycle"] = measured.Min(c => c.Samples),
                ["timeouts_or_errors"] = poller.Errors,
            };
        }
        finally
        {
            simulator.StandardInput.Close();
            if (!simulator.WaitForExit(5000))
                simulator.Kill();
        }
    }
}
