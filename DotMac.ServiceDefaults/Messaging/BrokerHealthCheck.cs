using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DotMac.ServiceDefaults.Messaging;

/// <summary>
/// Can the broker be reached at all? MassTransit's own check only sees endpoints it has started; a service with no
/// consumers (or lazily started ones) holds no connection to watch, so a dead broker would go unnoticed.
/// </summary>
public sealed class BrokerHealthCheck(RabbitMqEndpoint endpoint) : IHealthCheck
{
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, limit.Token);
            return HealthCheckResult.Healthy($"{endpoint.Host}:{endpoint.Port} reachable");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"broker {endpoint.Host}:{endpoint.Port} unreachable: {ex.Message}");
        }
    }
}
