using DotMac.Bench;

// bench/run <name>: each benchmark prints its figures and, as its last line, the JSON it writes to
// bench/results/<name>.json.
var benchmarks = new Dictionary<string, Func<string[], Task<BenchResult>>>(StringComparer.Ordinal)
{
    ["fleet"] = FleetBenchmark.RunAsync,
    ["bus"] = BusBenchmark.RunAsync,
    ["ingest"] = IngestBenchmark.RunAsync,
    ["snmp"] = SnmpBenchmark.RunAsync,
    ["gateway"] = GatewayBenchmark.RunAsync,
    ["provisioning"] = ProvisioningBenchmark.RunAsync,
    ["billing"] = BillingBenchmark.RunAsync,
    ["events"] = EventsBenchmark.RunAsync,
    ["analytics"] = AnalyticsBenchmark.RunAsync,
    ["portal"] = PortalBenchmark.RunAsync,
    ["telemetry"] = TelemetryBenchmark.RunAsync,
};

if (args is ["snmp-simulator", var devices, var interfaces])
{
    await SnmpSimulator.RunAsync(int.Parse(devices, System.Globalization.CultureInfo.InvariantCulture), int.Parse(interfaces, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}
if (args is ["peer-minimal-app", var port])
{
    await MinimalApp.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: bench/run <{string.Join('|', benchmarks.Keys)}>");
    return 2;
}
var result = await run(args[1..]);
result.Write();
return 0;
