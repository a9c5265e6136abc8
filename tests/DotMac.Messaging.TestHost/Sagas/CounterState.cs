using MassTransit;

namespace DotMac.Messaging.TestHost.Sagas;

public sealed class CounterState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Total { get; set; }
    public int Increments { get; set; }
}
