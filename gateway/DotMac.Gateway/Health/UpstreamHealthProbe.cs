using System.Net.Http.Json;
using DotMac.ServiceDefaults.Health;

namespace DotMac.Gateway.Health;

/// <summary>
/// Asks a service's /health. A plain client, not the resilient default: a health probe must answer quickly with
/// what it sees now, not retry its way past a failure.
/// </summary>
public sealed class UpstreamHealthProbe : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout,
    };

    public async Task<(int Status, HealthDocument? Report)> ProbeAsync(Uri service, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(new Uri(service, "/health"), cancellationToken);
        var report = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync(HealthJson.Default.HealthDocument, cancellationToken)
            : null;
        return ((int)response.StatusCode, report);
    }

    public void Dispose() => _client.Dispose();
}
