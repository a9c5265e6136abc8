using DotMac.Ops.DeadLetters;
using DotMac.Ops.Scheduling;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Ops.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "ops-db";

    /// <summary>RabbitMQ's management API (http://user:password@host:port/), to find the _error queues.</summary>
    public const string ManagementConnectionName = "messaging-management";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddServiceBus(x => x.AddConsumer<SchedulerConsumer>().Endpoint(e => e.Name = MessagingExtensions.SchedulerQueue));

        builder.Services.AddSingleton<SchedulerSignal>();
        builder.Services.AddHostedService<ScheduledDeliveryService>();

        var amqp = RabbitMqEndpoint.Parse(builder.Configuration.GetConnectionString(MessagingExtensions.ConnectionName)!);
        var management = new Uri(builder.Configuration.GetConnectionString(ManagementConnectionName) ?? $"http://{amqp.Host}:15672/");
        builder.Services.AddSingleton(_ => new BrokerQueues(amqp, management, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }));
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddHostedService<DeadLetterCollector>();
    }
}
