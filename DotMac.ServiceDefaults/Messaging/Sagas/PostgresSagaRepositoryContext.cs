using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace DotMac.ServiceDefaults.Messaging.Sagas;

/// <summary>One message's view of the saga repository: loads, inserts, updates and deletes on the message's session.</summary>
internal sealed class PostgresSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    readonly ConsumeContext<TMessage> _context;
    readonly DbSession _session;
    readonly SagaStore<TSaga> _store;
    readonly ISagaConsumeContextFactory<DbSession, TSaga> _factory;

    public PostgresSagaRepositoryContext(ConsumeContext<TMessage> context, DbSession session, SagaStore<TSaga> store,
        ISagaConsumeContextFactory<DbSession, TSaga> factory)
        : base(context, session)
    {
        _context = context;
        _session = session;
        _store = store;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_session, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (!await _store.InsertAsync(instance, CancellationToken))
            return default!;
        return await _factory.CreateSagaConsumeContext(_session, _context, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _store.LoadAsync(correlationId, CancellationToken);
        return instance is null
            ? default!
            : await _factory.CreateSagaConsumeContext(_session, _context, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        // Created by this message; if a concurrent message created it first, lose cleanly and retry on its state.
        if (!await _store.InsertAsync(context.Saga, CancellationToken))
            throw SagaStore<TSaga>.Conflict(context.Saga.CorrelationId, 0);
    }

    public Task Update(SagaConsumeContext<TSaga> context) => _store.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => _store.DeleteAsync(context.Saga, CancellationToken);

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    // Nothing is written until Save/Update/Delete, and a failure rolls the whole transaction back.
    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_session, consumeContext, instance, mode);
}
