using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Configuration;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

public static class InboxExtensions
{
    /// <summary>
    /// Runs every consumer and saga of the endpoint through the PostgreSQL inbox: MassTransit's own outbox filter with
    /// <see cref="InboxContextFactory"/> behind it. AddServiceBus does this for every endpoint of a service with a database.
    /// </summary>
    public static void UseInbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context, OutboxOptions options)
    {
        var observer = new OutboxConsumePipeSpecificationObserver<DbSession>(configurator, context)
        {
            MessageDeliveryLimit = options.ConsumerDeliveryLimit,
            MessageDeliveryTimeout = options.SendTimeout,
        };
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}
