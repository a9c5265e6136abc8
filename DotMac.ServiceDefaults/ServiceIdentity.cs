using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults;

/// <summary>Who this process is: the name telemetry, logs, endpoint names and /api/v1/info use.</summary>
public sealed record ServiceIdentity(string Name, string Version, string InstanceId, string Environment, DateTimeOffset StartedAt)
{
    /// <summary>The one identity of this process, made once per builder and kept in its Properties.</summary>
    public static ServiceIdentity Of(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(ServiceIdentity), out var existing) && existing is ServiceIdentity identity)
            return identity;
        identity = From(builder.Configuration, builder.Environment);
        builder.Properties[typeof(ServiceIdentity)] = identity;
        return identity;
    }

    public static ServiceIdentity From(IConfiguration configuration, IHostEnvironment environment)
    {
        var name = configuration["OTEL_SERVICE_NAME"]
            ?? configuration["DotMac:ServiceName"]
            ?? DefaultName(environment.ApplicationName);
        var entry = Assembly.GetEntryAssembly();
        var version = entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? entry?.GetName().Version?.ToString()
            ?? "0.0.0";
        var instance = configuration["DotMac:InstanceId"] ?? $"{System.Environment.MachineName}-{System.Environment.ProcessId}";
        return new ServiceIdentity(name, version, instance, environment.EnvironmentName, DateTimeOffset.UtcNow);
    }

    // "DotMac.Billing" -> "billing": the name the AppHost and the gateway use for the service.
    static string DefaultName(string applicationName)
    {
        var last = applicationName.Split('.').Last();
        return last.ToLowerInvariant();
    }
}
