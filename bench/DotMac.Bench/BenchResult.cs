using System.Text.Json;
using System.Text.Json.Serialization;
using DotMac.AppHost.Infrastructure;

namespace DotMac.Bench;

/// <summary>
/// The convention every benchmark keeps: bench/results/{name}.json with these fields, printed as the last line.
/// Extra figures go in Details.
/// </summary>
public sealed record BenchResult(
    string Name,
    string Metric,
    double Value,
    string Unit,
    double? Goal,
    string? Peer,
    double? PeerValue,
    double? Ratio,
    IReadOnlyDictionary<string, object>? Details = null)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Write()
    {
        var root = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
        var json = JsonSerializer.Serialize(this, Json);
        var folder = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"{Name}.json"), json + "\n");
        Console.WriteLine(json);
    }
}
