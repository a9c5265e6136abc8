using Dapper;
using DotMac.ServiceDefaults.Data;

namespace DotMac.Services.Provisioning;

/// <summary>
/// What the provisioning saga writes beside its own state, in the same transaction (the inbox's): the order's status,
/// the service instance's lifecycle and the step log the progress API shows.
/// </summary>
internal sealed class ProvisioningRecord(DbSession session)
{
    public Task StepAsync(ProvisioningState saga, string step, string outcome, string? detail = null) =>
        ExecuteAsync(OrderSql.InsertStep, new { OrderId = saga.CorrelationId, saga.TenantId, Step = step, Outcome = outcome, Detail = detail });

    public Task OrderAsync(ProvisioningState saga, string status, string? failedStep = null, string? reason = null) =>
        ExecuteAsync(OrderSql.SetOrderStatus, new { OrderId = saga.CorrelationId, saga.TenantId, Status = status, FailedStep = failedStep, Reason = reason });

    public Task ServiceAsync(ProvisioningState saga, string status, string? reason = null) =>
        ExecuteAsync(OrderSql.SetInstance, new { saga.ServiceId, saga.TenantId, Status = status, Reason = reason, saga.Address, saga.SubscriptionId });

    async Task ExecuteAsync(string sql, object parameters)
    {
        await session.BeginAsync();
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction));
        await session.CommitAsync();
    }
}
