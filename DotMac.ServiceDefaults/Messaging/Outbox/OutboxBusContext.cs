using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// What a request scope's IPublishEndpoint and ISendEndpointProvider resolve to outside a consumer: every send
/// becomes an outbox row on the scope's <see cref="DbSession"/>, inside its open transaction (committed with the
/// change) or, with none open, committed on its own right away. The dispatcher delivers the rows.
/// </summary>
public sealed class OutboxBusContext(IBus bus, DbSession session, IClientFactory clientFactory, IServiceProvider provider)
    : ScopedBusContext, OutboxSendContext
{
    // Sends may be started concurrently (Task.WhenAll of publishes); one connection runs one command at a time.
    readonly SemaphoreSlim _writing = new(1, 1);

    ISendEndpointProvider? _sendEndpointProvider;
    IPublishEndpoint? _publishEndpoint;
    IScopedClientFactory? _clientFactory;

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    /// <summary>Requests wait for a response, so they cannot go through an outbox: they use the bus directly.</summary>
    public IScopedClientFactory ClientFactory => _clientFactory ??= new BusScopedBusContext<IBus>(bus, clientFactory, provider).ClientFactory;

    public async Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var row = OutboxWriter.ToRow(context);
        await _writing.WaitAsync(context.CancellationToken);
        try
        {
            await session.AddToOutboxAsync(row, context.CancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}
