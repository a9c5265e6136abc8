using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;
using MassTransit;

namespace DotMac.Services.Provisioning;

/// <summary>
/// Billing's dunning acting on services: SuspensionRequested suspends the service, ServiceRestored resumes it,
/// TerminationRequested terminates it, each through the service's provisioning saga (networking rejects or gardens the
/// subscriber in RADIUS, releases the address on termination; billing ends the subscription). A request the
/// service's state does not allow (already suspended, terminated, unknown here) changes nothing.
/// </summary>
internal sealed class DunningConsumer(ServiceOrders orders, DbSession session, ILogger<DunningConsumer> logger) :
    IConsumer<SuspensionRequested>,
    IConsumer<ServiceRestored>,
    IConsumer<TerminationRequested>
{
    public Task Consume(ConsumeContext<SuspensionRequested> context) =>
        RequestAsync(context.Message.TenantId, context.Message.ServiceId, "suspend", $"dunning: {context.Message.Reason}", context.CancellationToken);

    public Task Consume(ConsumeContext<ServiceRestored> context) =>
        RequestAsync(context.Message.TenantId, context.Message.ServiceId, "resume", $"dunning: invoice {context.Message.InvoiceId} settled", context.CancellationToken);

    public Task Consume(ConsumeContext<TerminationRequested> context) =>
        RequestAsync(context.Message.TenantId, context.Message.ServiceId, "terminate", $"dunning: {context.Message.Reason}", context.CancellationToken);

    async Task RequestAsync(Guid tenantId, Guid serviceId, string action, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await session.AttemptAsync(async () => await orders.RequestAsync(tenantId, serviceId, action, reason, cancellationToken), cancellationToken);
        }
        catch (DomainException ex) when (ex is ConflictException or NotFoundException)
        {
            logger.LogInformation("Dunning asked to {Action} service {ServiceId} of tenant {TenantId}: {Reason}", action, serviceId, tenantId, ex.Message);
        }
    }
}
