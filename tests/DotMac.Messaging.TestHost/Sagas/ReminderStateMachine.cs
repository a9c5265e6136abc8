using MassTransit;

namespace DotMac.Messaging.TestHost.Sagas;

/// <summary>A saga timeout through the durable scheduler: fires unless cancelled first.</summary>
public sealed class ReminderStateMachine : MassTransitStateMachine<ReminderState>
{
    public ReminderStateMachine()
    {
        Event(() => Requested, e => e.CorrelateById(m => m.Message.ReminderId));
        Event(() => Cancelled, e => e.CorrelateById(m => m.Message.ReminderId));
        Schedule(() => Due, x => x.DueTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.ReminderId));
        InstanceState(x => x.CurrentState);

        Initially(
            When(Requested)
                .Schedule(Due, c => new ReminderDue(c.Saga.CorrelationId), c => TimeSpan.FromMilliseconds(c.Message.DelayMilliseconds))
                .TransitionTo(Waiting));
        During(Waiting,
            When(Due.Received)
                .Publish(c => new ReminderFired(c.Saga.CorrelationId))
                .TransitionTo(Fired),
            When(Cancelled)
                .Unschedule(Due)
                .TransitionTo(Withdrawn));
    }

    public State Waiting { get; private set; } = null!;
    public State Fired { get; private set; } = null!;
    public State Withdrawn { get; private set; } = null!;
    public Event<ReminderRequested> Requested { get; private set; } = null!;
    public Event<ReminderCancelled> Cancelled { get; private set; } = null!;
    public Schedule<ReminderState, ReminderDue> Due { get; private set; } = null!;
}
