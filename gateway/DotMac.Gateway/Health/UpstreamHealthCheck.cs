using DotMac.Gateway.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DotMac.Gateway.Health;

/// <summary>One service's readiness, as the gateway sees it: its own /health, and the checks that failed there.</summary>
public sealed class UpstreamHealthCheck(UpstreamHealthProbe probe, Upstream upstream) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["address"] = upstream.Address.ToString() };
        try
        {
            var (status, report) = await probe.ProbeAsync(upstream.Address, cancellationToken);
            if (report is not null)
            {
                foreach (var (name, entry) in report.Checks)
                    data[name] = entry.Description is null ? entry.Status : $"{entry.Status}: {entry.Description}";
            }
            return status == 200
                ? HealthCheckResult.Healthy($"{upstream.Name} is ready", data)
                : HealthCheckResult.Unhealthy($"{upstream.Name} answered {status}", data: data);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{upstream.Name} unreachable: {ex.Message}", data: data);
        }
    }
}
