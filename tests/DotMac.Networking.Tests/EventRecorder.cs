using System.Collections.Concurrent;
using DotMac.Contracts;
using DotMac.Contracts.Networking;
using MassTransit;

namespace DotMac.Networking.Tests;

/// <summary>Consumes networking's events from the real broker and keeps them for the test to wait on.</summary>
public sealed class EventRecorder : IConsumer<DeviceDown>, IConsumer<DeviceUp>, IConsumer<TrapReceived>,
    IConsumer<IpAllocated>, IConsumer<IpReleased>
{
    public static ConcurrentQueue<IIntegrationEvent> Received { get; } = new();

    public Task Consume(ConsumeContext<DeviceDown> context) => Record(context.Message);

    public Task Consume(ConsumeContext<DeviceUp> context) => Record(context.Message);

    public Task Consume(ConsumeContext<TrapReceived> context) => Record(context.Message);

    public Task Consume(ConsumeContext<IpAllocated> context) => Record(context.Message);

    public Task Consume(ConsumeContext<IpReleased> context) => Record(context.Message);

    static Task Record(IIntegrationEvent message)
    {
        Received.Enqueue(message);
        return Task.CompletedTask;
    }

    public static async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout) where T : IIntegrationEvent
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (Received.OfType<T>().FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException($"No {typeof(T).Name} within {timeout.TotalSeconds:0.#} s; received: {string.Join(", ", Received.Select(e => e.GetType().Name))}");
    }
}
