using DotMac.Contracts.Provisioning;
using DotMac.Networking.Ipam;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;
using MassTransit;

namespace DotMac.Networking.Subscribers;

/// <summary>
/// Networking's part of the provisioning saga. Each command runs in the inbox's transaction; a refusal (pool exhausted
/// or unknown, username taken) is undone to a savepoint and answered with a failure event instead. Every handler is
/// idempotent per order: the order is the holder of its address and the id of its subscriber.
/// </summary>
internal sealed class ProvisioningConsumer(DbSession session, IpamStore ipam, SubscriberProfiles profiles, TimeProvider clock) :
    IConsumer<AllocateIpCommand>,
    IConsumer<ReleaseIpCommand>,
    IConsumer<ApplyNetworkProfileCommand>,
    IConsumer<RemoveNetworkProfileCommand>,
    IConsumer<SetNetworkAccessCommand>
{
    public static string Reference(Guid orderId) => $"service-order:{orderId}";

    public async Task Consume(ConsumeContext<AllocateIpCommand> context)
    {
        var m = context.Message;
        try
        {
            var (row, _) = await session.AttemptAsync(() => ipam.AllocateAsync(m.TenantId, m.PoolId, Reference(m.OrderId), "service order", context.CancellationToken),
                context.CancellationToken);
            var site = (await ipam.GetPoolAsync(m.TenantId, m.PoolId, context.CancellationToken))?.Site;
            await context.Publish(new IpAssigned(m.TenantId, m.OrderId, m.PoolId, row.Id, AllocationResponse.From(row).Address, clock.GetUtcNow(), site));
        }
        catch (DomainException refused)
        {
            await context.Publish(new IpAssignmentFailed(m.TenantId, m.OrderId, refused.Message, clock.GetUtcNow()));
        }
    }

    public async Task Consume(ConsumeContext<ReleaseIpCommand> context) =>
        await ipam.ReleaseByReferenceAsync(context.Message.TenantId, Reference(context.Message.OrderId), context.CancellationToken);

    public async Task Consume(ConsumeContext<ApplyNetworkProfileCommand> context)
    {
        var m = context.Message;
        try
        {
            var row = await session.AttemptAsync(() => profiles.ApplyAsync(m, context.CancellationToken), context.CancellationToken);
            await context.Publish(new NetworkProfileApplied(m.TenantId, m.OrderId, m.ServiceId, row.Username, clock.GetUtcNow()));
        }
        catch (DomainException refused)
        {
            await context.Publish(new NetworkProfileFailed(m.TenantId, m.OrderId, refused.Message, clock.GetUtcNow()));
        }
    }

    public async Task Consume(ConsumeContext<RemoveNetworkProfileCommand> context) =>
        await profiles.RemoveAsync(context.Message.TenantId, context.Message.OrderId, context.CancellationToken);

    public async Task Consume(ConsumeContext<SetNetworkAccessCommand> context)
    {
        var m = context.Message;
        await profiles.SetAccessAsync(m.TenantId, m.OrderId, m.Suspended, context.CancellationToken);
        await context.Publish(new NetworkAccessChanged(m.TenantId, m.OrderId, m.Suspended, clock.GetUtcNow()));
    }
}
