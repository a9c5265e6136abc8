using Microsoft.Extensions.Configuration;

namespace DotMac.ServiceDefaults.Http;

/// <summary>Peer addresses from configuration, in the shape Aspire passes them (services__name__http__0).</summary>
public static class ServiceEndpoints
{
    public static Uri Resolve(IConfiguration configuration, string serviceName) =>
        TryResolve(configuration, serviceName)
        ?? throw new InvalidOperationException(
            $"No address for service '{serviceName}': set services:{serviceName}:http:0 (environment services__{serviceName}__http__0).");

    public static Uri? TryResolve(IConfiguration configuration, string serviceName)
    {
        var value = configuration[$"services:{serviceName}:https:0"] ?? configuration[$"services:{serviceName}:http:0"];
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>Every service that has an address, by name.</summary>
    public static IReadOnlyDictionary<string, Uri> All(IConfiguration configuration) =>
        configuration.GetSection("services").GetChildren()
            .Select(s => (s.Key, Uri: TryResolve(configuration, s.Key)))
            .Where(s => s.Uri is not null)
            .ToDictionary(s => s.Key, s => s.Uri!, StringComparer.OrdinalIgnoreCase);
}
