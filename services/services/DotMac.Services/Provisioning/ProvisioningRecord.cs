using Dapper;
using DotMac.ServiceDefaults.Data;

namespace DotMac.Services.Provisioning;

/// <summary>
/// What the provisioning saga writes beside its own state, in the same transaction (the inbox's): the order's status,
/// the service instance's lifecycle and the step log the progress API shows; each also a log line (in the step's span,
/// so a trace shows its saga's progress) and the business counters.
/// </summary>
internal sealed partial class ProvisioningRecord(DbSession session, ILogger<ProvisioningRecord> logger)
{
    public Task StepAsync(ProvisioningState saga, string step, string outcome, string? detail = null)
    {
        // The saga's own span (MassTransit's, below the consume span the inbox tagged) is where these lines are written.
        System.Diagnostics.Activity.Current?.SetTag("dotmac.order.id", saga.CorrelationId.ToString());
        Step(logger, saga.CorrelationId, step, outcome, detail ?? "", saga.TenantId);
        if (outcome == "completed" && step == "suspend")
            ProvisioningMetrics.Suspended.Add(1);
        else if (outcome == "completed" && step == "resume")
            ProvisioningMetrics.Restored.Add(1);
        return ExecuteAsync(OrderSql.InsertStep, new { OrderId = saga.CorrelationId, saga.TenantId, Step = step, Outcome = outcome, Detail = detail });
    }

    public Task OrderAsync(ProvisioningState saga, string status, string? failedStep = null, string? reason = null)
    {
        if (status == "failed")
        {
            Failed(logger, saga.CorrelationId, failedStep ?? "", reason ?? "", saga.TenantId);
            ProvisioningMetrics.Failed.Add(1, new KeyValuePair<string, object?>("failed_step", failedStep));
        }
        else
        {
            Order(logger, saga.CorrelationId, status, saga.Username, saga.TenantId);
            if (status == "active")
                ProvisioningMetrics.Activated.Add(1);
        }
        return ExecuteAsync(OrderSql.SetOrderStatus, new { OrderId = saga.CorrelationId, saga.TenantId, Status = status, FailedStep = failedStep, Reason = reason });
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: step {Step} {Outcome} {Detail} (tenant {TenantId})")]
    static partial void Step(ILogger logger, Guid orderId, string step, string outcome, string detail, Guid tenantId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} is {Status} (subscriber {Username}, tenant {TenantId})")]
    static partial void Order(ILogger logger, Guid orderId, string status, string username, Guid tenantId);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} failed at {FailedStep}: {Reason} (tenant {TenantId})")]
    static partial void Failed(ILogger logger, Guid orderId, string failedStep, string reason, Guid tenantId);

    public Task ServiceAsync(ProvisioningState saga, string status, string? reason = null) =>
        ExecuteAsync(OrderSql.SetInstance, new { saga.ServiceId, saga.TenantId, Status = status, Reason = reason, saga.Address, saga.SubscriptionId });

    async Task ExecuteAsync(string sql, object parameters)
    {
        await session.BeginAsync();
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction));
        await session.CommitAsync();
    }
}
