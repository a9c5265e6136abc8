using DotMac.ServiceDefaults.Health;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ from ConnectionStrings:messaging. Endpoint names are kebab-case and prefixed
    /// with the service name, so two services consuming one event each get their own queue. The service starts
    /// even while the broker is away (its readiness says so) and reconnects by itself.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException(
                $"No connection string '{ConnectionName}': set ConnectionStrings:{ConnectionName} to an amqp:// URI " +
                $"(environment ConnectionStrings__{ConnectionName}). `dotnet run --project DotMac.AppHost` sets it for every service.");
        var endpoint = RabbitMqEndpoint.Parse(connectionString);
        var identity = ServiceIdentity.Of(builder);
        var options = builder.Configuration.GetSection("DotMac:Messaging").Get<MessagingOptions>() ?? new MessagingOptions();

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(identity.Name, false));
            // MassTransit 8.4 reports usage to its vendor over the internet by default; an ISP's platform does not phone home.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            x.ConfigureHealthCheckOptions(h =>
            {
                h.Name = ConnectionName;
                h.MinimalFailureStatus = HealthStatus.Unhealthy;
                h.Tags.Add(HealthExtensions.ReadyTag);
            });
            configure?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, $"{identity.Name}@{identity.InstanceId}", h =>
                {
                    h.Username(endpoint.Username);
                    h.Password(endpoint.Password);
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    if (endpoint.UseTls)
                        h.UseSsl(s => s.ServerName = endpoint.Host);
                });
                cfg.UseMessageRetry(r => r.Exponential(options.ImmediateRetries, options.RetryMinInterval, options.RetryMaxInterval, options.RetryIntervalDelta));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHealthChecks()
            .AddCheck("broker", new BrokerHealthCheck(endpoint), tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Do not hold start-up hostage to the broker: readiness reports it, the bus reconnects.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        return builder;
    }
}

/// <summary>Retry policy of every consumer; "DotMac:Messaging" in configuration.</summary>
public sealed class MessagingOptions
{
    public int ImmediateRetries { get; set; } = 5;
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromMilliseconds(200);
}
