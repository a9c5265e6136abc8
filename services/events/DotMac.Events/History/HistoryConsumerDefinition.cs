using MassTransit;
using Microsoft.Extensions.Options;

namespace DotMac.Events.History;

/// <summary>
/// One queue for the whole history, bound to the exchange of every integration event of DotMac.Contracts (found by
/// reflection, so a new contract is recorded without a line changed here) and, through the consumer, to
/// IIntegrationEvent's. RabbitMQ puts a message into a queue once, however many of its bindings match.
/// </summary>
internal sealed class HistoryConsumerDefinition : ConsumerDefinition<HistoryConsumer>
{
    readonly int _concurrency;

    public HistoryConsumerDefinition(IOptions<EventsOptions> options)
    {
        EndpointName = HistoryConsumer.QueueName;
        _concurrency = options.Value.History.ConcurrentMessages;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<HistoryConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (_concurrency > 0)
            endpointConfigurator.ConcurrentMessageLimit = _concurrency;
        if (endpointConfigurator is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;
        if (_concurrency > 0)
            rabbit.PrefetchCount = _concurrency;
        foreach (var type in EventTypes.All.Values)
            rabbit.Bind($"{type.Namespace}:{type.Name}");
    }
}
