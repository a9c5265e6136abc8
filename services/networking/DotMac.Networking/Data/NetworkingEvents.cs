using DotMac.Contracts.Networking;
using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Networking.Data;

/// <summary>
/// Every integration event networking publishes goes through here, into the outbox: a change and the events it
/// causes commit in one transaction (background services have no request scope, so this makes one per unit of work).
/// </summary>
internal sealed class NetworkingEvents(IServiceScopeFactory scopes)
{
    /// <summary>Runs <paramref name="change"/> in a transaction; what it publishes commits with it.</summary>
    public async Task<T> CommitAsync<T>(Func<DbSession, IPublishEndpoint, Task<T>> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await session.BeginAsync(cancellationToken);
        var result = await change(session, publish);
        await session.CommitAsync(cancellationToken);
        return result;
    }

    public Task TrapReceivedAsync(TrapReceived message, CancellationToken cancellationToken) =>
        CommitAsync(async (_, publish) =>
        {
            await publish.Publish(message, cancellationToken);
            return true;
        }, cancellationToken);
}
