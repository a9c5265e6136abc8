using DotMac.Contracts.Networking;
using MassTransit;

namespace DotMac.Networking.Data;

/// <summary>
/// Every integration event networking publishes goes through here, after the database change it reports has
/// committed. When the outbox (issue 3) lands, this is the one class that changes.
/// </summary>
internal sealed class NetworkingEvents(IBus bus)
{
    public Task DeviceDownAsync(DeviceDown message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task DeviceUpAsync(DeviceUp message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task TrapReceivedAsync(TrapReceived message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);
}
