using MassTransit;

namespace DotMac.Events.History;

/// <summary>
/// One queue for the whole history, bound to the exchange of every integration event of DotMac.Contracts (found by
/// reflection, so a new contract is recorded without a line changed here) and, through the consumer, to
/// IIntegrationEvent's. RabbitMQ puts a message into a queue once, however many of its bindings match.
/// </summary>
internal sealed class HistoryConsumerDefinition : ConsumerDefinition<HistoryConsumer>
{
    public HistoryConsumerDefinition() => EndpointName = HistoryConsumer.QueueName;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<HistoryConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (endpointConfigurator is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;
        foreach (var type in EventTypes.All.Values)
            rabbit.Bind($"{type.Namespace}:{type.Name}");
    }
}
