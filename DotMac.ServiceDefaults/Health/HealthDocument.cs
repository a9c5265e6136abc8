using System.Text.Json;
using System.Text.Json.Serialization;

namespace DotMac.ServiceDefaults.Health;

/// <summary>The body of /health and /alive: what the gateway aggregates and the AppHost dashboard shows.</summary>
public sealed record HealthDocument(
    string Service,
    string Status,
    double DurationMs,
    IReadOnlyDictionary<string, HealthEntry> Checks);

public sealed record HealthEntry(string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, string?>? Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthDocument))]
public sealed partial class HealthJson : JsonSerializerContext;
