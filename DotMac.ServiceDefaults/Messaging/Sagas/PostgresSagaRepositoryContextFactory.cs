using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Saga;

namespace DotMac.ServiceDefaults.Messaging.Sagas;

/// <summary>
/// MassTransit's saga-repository contract over PostgreSQL. Resolved in the message's scope, so it shares the scope's
/// <see cref="DbSession"/>: on an outbox endpoint the saga's state and the messages it sends commit in the inbox's
/// one transaction; elsewhere it opens and commits its own.
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TSaga>(DbSession session, ISagaConsumeContextFactory<DbSession, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await session.BeginAsync(context.CancellationToken);
        try
        {
            var repository = new PostgresSagaRepositoryContext<TSaga, T>(context, session, new SagaStore<TSaga>(session), factory);
            await next.Send(repository);
            await session.CommitAsync(context.CancellationToken);
        }
        catch
        {
            await session.RollbackAsync();
            throw;
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException(
            $"The PostgreSQL saga repository correlates by CorrelationId only; correlate {typeof(T).Name} to {typeof(TSaga).Name} by id.");

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        await session.OpenAsync(cancellationToken);
        return await asyncMethod(new LoadContext(new SagaStore<TSaga>(session), cancellationToken));
    }

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql");

    sealed class LoadContext(SagaStore<TSaga> store, CancellationToken cancellationToken)
        : MassTransit.Middleware.BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>
    {
        public Task<TSaga> Load(Guid correlationId) => store.LoadAsync(correlationId, CancellationToken)!;
    }
}
