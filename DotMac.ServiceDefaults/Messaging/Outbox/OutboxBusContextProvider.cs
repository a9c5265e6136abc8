using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.DependencyInjection;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Replaces MassTransit's scoped bus context: inside a consumer the consume context is used (its sends go through
/// the consumer's inbox/outbox), anywhere else <see cref="OutboxBusContext"/>.
/// </summary>
public sealed class OutboxBusContextProvider(
    IBus bus,
    DbSession session,
    Bind<IBus, IClientFactory> clientFactory,
    Bind<IBus, IScopedConsumeContextProvider> busConsumeContext,
    IScopedConsumeContextProvider globalConsumeContext,
    IServiceProvider provider) : IScopedBusContextProvider<IBus>
{
    ScopedBusContext? _context;

    public ScopedBusContext Context => _context ??= Create();

    ScopedBusContext Create()
    {
        if (busConsumeContext.Value.HasContext)
            return new ConsumeContextScopedBusContext(busConsumeContext.Value.GetContext(), clientFactory.Value);
        if (globalConsumeContext.HasContext)
            return new ConsumeContextScopedBusContext(globalConsumeContext.GetContext(), clientFactory.Value);
        return new OutboxBusContext(bus, session, clientFactory.Value, provider);
    }
}
