using MassTransit;

namespace DotMac.Messaging.TestHost.Sagas;

public sealed class ReminderState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid? DueTokenId { get; set; }
}
