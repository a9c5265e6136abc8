using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Gateway.Portals;
using DotMac.Gateway.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace DotMac.Bench;

/// <summary>
/// portal: the staff console's first load in Debian's headless Chromium, cold cache each time (a new browser context):
/// the compressed bytes of its JavaScript and CSS, and first contentful paint. The peer is a blank page (one line of
/// text) served the same way: the gateway's portal middleware (compression, headers, fallback routing) in a Kestrel
/// of its own, in the same run. Goals: under 300 KB, FCP under 1 s.
/// </summary>
public static class PortalBenchmark
{
    const int Runs = 15;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var build = Path.Combine(root, "portals", "dist");
        if (!File.Exists(Path.Combine(build, "console", "index.html")))
            throw new FileNotFoundException($"{build} has no console build; bench/run builds the gateway, which builds the portals.");
        var blank = Directory.CreateTempSubdirectory("dotmac-blank-portal-").FullName;
        foreach (var app in PortalEndpoints.Apps)
        {
            Directory.CreateDirectory(Path.Combine(blank, app));
            await File.WriteAllTextAsync(Path.Combine(blank, app, "index.html"),
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>blank</title></head><body><p>Blank page</p></body></html>");
        }
        try
        {
            await using var console = await ServeAsync(build, 7301);
            await using var peer = await ServeAsync(blank, 7302);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            });
            await LoadAsync(browser, "http://127.0.0.1:7301/console"); // warm the servers and the browser, not measured
            await LoadAsync(browser, "http://127.0.0.1:7302/console");
            var app = new List<Load>();
            var empty = new List<Load>();
            for (var i = 0; i < Runs; i++)
            {
                app.Add(await LoadAsync(browser, "http://127.0.0.1:7301/console"));
                empty.Add(await LoadAsync(browser, "http://127.0.0.1:7302/console"));
            }
            var kb = app[0].AssetBytes / 1024.0;
            var fcp = Median(app.Select(l => l.FcpMs));
            var blankFcp = Median(empty.Select(l => l.FcpMs));
            Console.WriteLine($"console first load: {kb:0.0} KB compressed JS+CSS ({app[0].Assets} files), {app[0].DecodedBytes / 1024.0:0.0} KB uncompressed");
            Console.WriteLine($"first contentful paint, median of {Runs}: console {fcp:0} ms, blank page {blankFcp:0} ms (p95 {P95(app.Select(l => l.FcpMs)):0} / {P95(empty.Select(l => l.FcpMs)):0} ms)");
            return new BenchResult("portal", "first_load_kb", Math.Round(kb, 1), "KB", 300, "blank page served the same way (first contentful paint)",
                Math.Round(blankFcp, 1), Math.Round(fcp / blankFcp, 2), new Dictionary<string, object>
                {
                    ["first_load_kb"] = Math.Round(kb, 1),
                    ["uncompressed_kb"] = Math.Round(app[0].DecodedBytes / 1024.0, 1),
                    ["assets"] = app[0].Assets,
                    ["fcp_ms"] = Math.Round(fcp, 1),
                    ["fcp_p95_ms"] = Math.Round(P95(app.Select(l => l.FcpMs)), 1),
                    ["blank_fcp_ms"] = Math.Round(blankFcp, 1),
                    ["fcp_goal_ms"] = 1000,
                    ["runs"] = Runs,
                });
        }
        finally
        {
            Directory.Delete(blank, recursive: true);
        }
    }

    sealed record Load(double FcpMs, long AssetBytes, long DecodedBytes, int Assets);

    static async Task<Load> LoadAsync(IBrowser browser, string url)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
        // Paint timing is reported after the frame; wait for it rather than read too early.
        var json = await page.EvaluateAsync<string>("""
            async () => {
              for (let i = 0; i < 100 && !performance.getEntriesByName('first-contentful-paint').length; i++) await new Promise(r => setTimeout(r, 20));
              const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
              const assets = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script' || r.initiatorType === 'link' || r.name.endsWith('.css') || r.name.endsWith('.js'));
              return JSON.stringify({ fcp, bytes: assets.reduce((s, r) => s + r.encodedBodySize, 0), decoded: assets.reduce((s, r) => s + r.decodedBodySize, 0), count: assets.length });
            }
            """);
        using var document = JsonDocument.Parse(json);
        var r = document.RootElement;
        var fcp = r.GetProperty("fcp").GetDouble();
        if (fcp < 0)
            throw new InvalidOperationException($"{url} reported no first contentful paint.");
        return new Load(fcp, r.GetProperty("bytes").GetInt64(), r.GetProperty("decoded").GetInt64(), r.GetProperty("count").GetInt32());
    }

    static async Task<WebApplication> ServeAsync(string folder, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(new GatewayOptions { PortalsRoot = folder });
        builder.Services.AddPortals();
        var app = builder.Build();
        app.UsePortals();
        await app.StartAsync();
        return app;
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static double P95(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.95) - 1)];
    }
}
