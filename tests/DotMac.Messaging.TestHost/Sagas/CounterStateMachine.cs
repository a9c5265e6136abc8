using MassTransit;

namespace DotMac.Messaging.TestHost.Sagas;

/// <summary>Adds every increment; concurrent increments of one counter must all count.</summary>
public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CounterId));
        InstanceState(x => x.CurrentState);

        Initially(
            When(Incremented)
                .Then(c => { c.Saga.Total = c.Message.Amount; c.Saga.Increments = 1; })
                .TransitionTo(Counting));
        During(Counting,
            When(Incremented)
                .Then(c => { c.Saga.Total += c.Message.Amount; c.Saga.Increments++; }));
    }

    public State Counting { get; private set; } = null!;
    public Event<CounterIncremented> Incremented { get; private set; } = null!;
}
