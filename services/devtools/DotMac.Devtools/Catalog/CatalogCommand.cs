using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotMac.Contracts;

namespace DotMac.Devtools.Catalog;

/// <summary>
/// `dotnet run --project services/devtools/DotMac.Devtools -- catalog [--write]`: generates the event catalog from
/// DotMac.Contracts and the services' built assemblies; checks it against the committed one (exit 1 on a non-additive
/// change or a stale file), or with --write refuses a non-additive change and writes the new catalog.
/// </summary>
public static class CatalogCommand
{
    /// <summary>Where the committed catalog lives, relative to the repository root (devtools embeds and serves it).</summary>
    public const string CommittedPath = "services/devtools/DotMac.Devtools/Catalog/asyncapi.json";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(JsonObject catalog) => catalog.ToJsonString(Indented) + "\n";

    /// <summary>The catalog of the contracts as they are now, with the consumers of the repository's built services.</summary>
    public static JsonObject Generate(string repositoryRoot, string configuration)
    {
        var contracts = typeof(IIntegrationEvent).Assembly;
        var consumers = ServiceRegistrations.Consumers(ServiceRegistrations.BuiltServices(repositoryRoot, configuration), AsyncApiCatalog.Messages(contracts));
        return AsyncApiCatalog.Build(contracts, consumers);
    }

    public static int Run(string[] args)
    {
        var write = args.Contains("--write");
        var root = RepositoryRoot(AppContext.BaseDirectory);
        var configuration = typeof(CatalogCommand).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var current = Generate(root, configuration);
        var path = Path.Combine(root, CommittedPath);
        var committed = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
        var breaks = committed is null ? [] : CatalogCompatibility.Breaks(committed, current);
        foreach (var line in breaks)
            Console.Error.WriteLine($"not additive: {line}");
        if (breaks.Count > 0)
        {
            Console.Error.WriteLine("A contract changed in a way its consumers cannot read: add a field instead, or a new message type.");
            return 1;
        }
        var text = Render(current);
        var messages = current["components"]!["messages"]!.AsObject().Count;
        if (write)
        {
            File.WriteAllText(path, text);
            Console.WriteLine($"wrote {CommittedPath}: {messages} messages");
            return 0;
        }
        if (committed is null || Render(committed) != text)
        {
            Console.Error.WriteLine($"{CommittedPath} is not the catalog of the contracts as they are: run `dotnet run --project services/devtools/DotMac.Devtools -- catalog --write`.");
            return 1;
        }
        Console.WriteLine($"{CommittedPath} is current: {messages} messages");
        return 0;
    }

    public static string RepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "DotMac.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"No DotMac.sln above {start}: the catalog command runs from the repository.");
    }
}
