using System.Globalization;
using System.Text.Json;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.Devtools.Seed;

/// <summary>
/// `dotnet run --project services/devtools/DotMac.Devtools -- seed [--seed 42] [--customers 500] [--gateway URL]
/// [--email E --password P] [--json]`: the demo ISP, through the gateway, logged in as the super admin of the state
/// folder (.dotmac/identity/super-admin.txt) unless --email and --password say otherwise. Progress goes to stderr,
/// the report (or with --json the report as JSON) to stdout. Exit 0 done, 1 failed, 2 bad arguments.
/// </summary>
public static class SeedCommand
{
    const string Usage = """
        usage: devtools seed [--seed N] [--customers N] [--gateway URL] [--email E --password P] [--json]
          --seed       which demo ISP (tenant demo-N); the same seed gives the same data, and a second run adds nothing (default 42)
          --customers  how many customers, 1 to 2000 (default 500)
          --gateway    the fleet's gateway (default http://localhost:5000)
          --email, --password   a platform staff login (default: the super admin in .dotmac/identity/super-admin.txt)
          --json       print the report as JSON
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }
            if (args[i] == "--json")
                json = true;
            else if (args[i] is "--seed" or "--customers" or "--gateway" or "--email" or "--password" && i + 1 < args.Length)
                values[args[i][2..]] = args[++i];
            else
                return Fail($"unknown or incomplete argument '{args[i]}'");
        }
        SeedOptions options;
        try
        {
            options = new SeedOptions(Number(values, "seed", SeedOptions.DefaultSeed), Number(values, "customers", SeedOptions.DefaultCustomers));
            options.Validate();
        }
        catch (ValidationFailedException e)
        {
            return Fail(string.Join("; ", e.Errors.Select(kv => $"--{kv.Key}: {string.Join(", ", kv.Value)}")));
        }
        catch (FormatException e)
        {
            return Fail(e.Message);
        }
        if (!Uri.TryCreate(values.GetValueOrDefault("gateway", "http://localhost:5000"), UriKind.Absolute, out var gateway))
            return Fail("--gateway must be an absolute URL");
        if (values.ContainsKey("email") != values.ContainsKey("password"))
            return Fail("--email and --password go together");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            var (email, password) = values.TryGetValue("email", out var e) ? (e, values["password"]) : SuperAdmin();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var client = new GatewayClient(http, gateway);
            await client.LoginAsync(email, password, cancel.Token);
            var isp = DemoIsp.Create(options.Seed, options.Customers);
            var report = await new Seeder(client, isp, line => Console.Error.WriteLine($"seed: {line}")).RunAsync(cancel.Token);
            Console.WriteLine(json ? JsonSerializer.Serialize(report.ToSummary(), GatewayClient.Json) : report.Render(gateway));
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("seed cancelled: a later run picks up where this one stopped");
            return 1;
        }
        catch (Exception ex) when (ex is SeedException or GatewayProblemException or HttpRequestException or IOException or JsonException or TaskCanceledException)
        {
            Console.Error.WriteLine($"seed failed: {(ex is TaskCanceledException ? "a request to the gateway timed out" : ex.Message)}");
            return 1;
        }
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine($"seed: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    static int Number(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"--{name} must be a whole number, not '{text}'");

    /// <summary>The super admin identity wrote at its first start: DOTMAC_STATE_DIR, else .dotmac at the repository root.</summary>
    static (string Email, string Password) SuperAdmin()
    {
        var state = Environment.GetEnvironmentVariable("DOTMAC_STATE_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot(), ".dotmac");
        var file = Path.Combine(state, "identity", "super-admin.txt");
        if (!File.Exists(file))
            throw new SeedException($"{file} is missing: start the fleet once (dotnet run --project DotMac.AppHost), or pass --email and --password.");
        var lines = File.ReadAllLines(file);
        return lines.Length >= 2 ? (lines[0].Trim(), lines[1].Trim()) : throw new SeedException($"{file} should hold the e-mail and the password on two lines.");
    }

    static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "DotMac.sln")))
                    return folder.FullName;
            }
        }
        throw new SeedException("No DotMac.sln above the current folder: set DOTMAC_STATE_DIR, or pass --email and --password.");
    }
}
