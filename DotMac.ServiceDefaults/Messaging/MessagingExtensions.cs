using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Health;
using DotMac.ServiceDefaults.Messaging.Outbox;
using DotMac.ServiceDefaults.Messaging.Sagas;
using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>The durable scheduler's queue (served by the ops service): saga timeouts, scheduled redelivery.</summary>
    public const string SchedulerQueue = "dotmac-scheduler";

    public static readonly Uri SchedulerAddress = new($"queue:{SchedulerQueue}");

    /// <summary>
    /// MassTransit over RabbitMQ from ConnectionStrings:messaging. Endpoint names are kebab-case and prefixed
    /// with the service name, so two services consuming one event each get their own queue. With a service database
    /// (AddServiceDatabase first) every endpoint runs through the PostgreSQL inbox/outbox and sagas persist there;
    /// every service schedules through the ops service's durable scheduler. The service starts
    /// even while the broker is away (its readiness says so) and reconnects by itself.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        Telemetry.DotMacTelemetry.StartAtZero(Outbox.OutboxMetrics.Written, Outbox.OutboxMetrics.Dispatched, Outbox.OutboxMetrics.DispatchFailures,
            Outbox.OutboxMetrics.InboxConsumed, Outbox.OutboxMetrics.InboxDuplicates, Outbox.OutboxMetrics.SagaConflicts);
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException(
                $"No connection string '{ConnectionName}': set ConnectionStrings:{ConnectionName} to an amqp:// URI " +
                $"(environment ConnectionStrings__{ConnectionName}). `dotnet run --project DotMac.AppHost` sets it for every service.");
        var endpoint = RabbitMqEndpoint.Parse(connectionString);
        var identity = ServiceIdentity.Of(builder);
        var options = builder.Configuration.GetSection("DotMac:Messaging").Get<MessagingOptions>() ?? new MessagingOptions();

        // A service with a database gets the durable outbox, inbox and saga repository; one without (none today) plain MassTransit.
        var durable = builder.Services.Any(d => d.ServiceType == typeof(DbSession));
        // With AddFeatureFlags first, every instance hears every FeatureFlagChanged on a queue of its own.
        var flags = builder.Services.Any(d => d.ServiceType == typeof(FeatureFlags.FeatureFlagClient));
        var outboxOptions = builder.Configuration.GetSection("DotMac:Messaging:Outbox").Get<OutboxOptions>() ?? new OutboxOptions();

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(identity.Name, false));
            x.AddMessageScheduler(SchedulerAddress);
            if (durable)
                x.SetSagaRepositoryProvider(new PostgresSagaRepositoryRegistrationProvider());
            if (flags)
                x.AddConsumer<FeatureFlags.FeatureFlagChangedConsumer, FeatureFlags.FeatureFlagChangedConsumerDefinition>();
            x.AddConfigureEndpointsCallback((context, name, e) =>
            {
                // Outermost first: after the immediate retries, scheduled redelivery; after that the _error queue
                // (MassTransit's default) with the exception in the headers and a Fault<T> published.
                if (options.ScheduledRedelivery)
                    e.UseScheduledRedelivery(r => r.Intervals(options.EffectiveRedeliveryIntervals));
                e.UseMessageRetry(r => r.Exponential(options.ImmediateRetries, options.RetryMinInterval, options.RetryMaxInterval, options.RetryIntervalDelta));
                if (!durable || name.Contains(FeatureFlags.FeatureFlagChangedConsumerDefinition.Marker, StringComparison.Ordinal))
                    return;
                // A lost optimistic-concurrency race is not a failure: run the message again on the fresh state, soon.
                e.UseMessageRetry(r =>
                {
                    r.Handle<SagaConcurrencyException>();
                    r.Exponential(options.SagaConflictRetries, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(15));
                });
                e.UseInbox(context, outboxOptions);
            });
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
                // MassTransit's default (2 per core) starves endpoints whose handlers wait on PostgreSQL.
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.UseMessageScheduler(SchedulerAddress);
                cfg.ConfigureEndpoints(context);
            });
        });
        if (durable)
        {
            builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("DotMac:Messaging:Outbox"));
            builder.Services.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, OutboxBusContextProvider>());
            builder.Services.AddScoped<IOutboxContextFactory<DbSession>, InboxContextFactory>();
            builder.Services.AddHostedService<OutboxDispatcher>();
            builder.Services.AddHostedService<InboxCleanupService>();
        }
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

    /// <summary>Off only where no scheduler runs (a test without ops): failures then go to _error after the immediate retries.</summary>
    public bool ScheduledRedelivery { get; set; } = true;

    public static readonly TimeSpan[] DefaultRedeliveryIntervals = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>
    /// Delays of scheduled redelivery (through the durable scheduler) once the immediate retries are spent; unset means
    /// <see cref="DefaultRedeliveryIntervals"/>. (No default value here: configuration would merge into it by index.)
    /// </summary>
    public TimeSpan[]? RedeliveryIntervals { get; set; }

    public TimeSpan[] EffectiveRedeliveryIntervals => RedeliveryIntervals is { Length: > 0 } intervals ? intervals : DefaultRedeliveryIntervals;

    /// <summary>Messages each endpoint takes from RabbitMQ ahead and handles concurrently.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>Immediate re-runs of a message whose saga instance changed under it.</summary>
    public int SagaConflictRetries { get; set; } = 30;
}
