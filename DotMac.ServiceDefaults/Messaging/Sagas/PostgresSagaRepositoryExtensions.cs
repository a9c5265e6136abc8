using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;

namespace DotMac.ServiceDefaults.Messaging.Sagas;

public static class PostgresSagaRepositoryExtensions
{
    /// <summary>Stores this saga's instances in the service database (messaging.saga_instance) with optimistic concurrency.</summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
        configurator.Repository(r =>
        {
            r.RegisterSagaRepository<TSaga, DbSession, SagaConsumeContextFactory<DbSession, TSaga>, PostgresSagaRepositoryContextFactory<TSaga>>();
            r.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return configurator;
    }
}

/// <summary>Makes the PostgreSQL repository the default for every saga registered on the bus.</summary>
public sealed class PostgresSagaRepositoryRegistrationProvider : ISagaRepositoryRegistrationProvider
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        configurator.PostgresRepository();
}
