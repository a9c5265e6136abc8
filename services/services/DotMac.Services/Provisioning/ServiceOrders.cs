using System.Text.RegularExpressions;
using Dapper;
using DotMac.Contracts.Provisioning;
using DotMac.Contracts.Services;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.Services.Plans;
using MassTransit;
using Npgsql;

namespace DotMac.Services.Provisioning;

/// <summary>
/// Service orders: accepting one (the order, its service instance and ServiceOrderSubmitted commit together; the saga
/// takes it from there), reading them with their progress, and asking an active service to change its lifecycle.
/// </summary>
internal sealed partial class ServiceOrders(DbSession session, IPublishEndpoint publish, PlanCatalog plans, TimeProvider clock)
{
    /// <summary>
    /// Accepts an order once per Idempotency-Key: the same key with the same request returns the first order
    /// (Created = false); with a different request it is a 422.
    /// </summary>
    public async Task<(OrderRow Order, bool Created)> SubmitAsync(Guid tenantId, string? idempotencyKey, CreateOrderRequest request, CancellationToken cancellationToken)
    {
        idempotencyKey = IdempotencyKeys.Require(idempotencyKey, "order");
        var errors = new Dictionary<string, string[]>();
        if (request.CustomerId == Guid.Empty)
            errors["customerId"] = ["The customer's id is required."];
        if (request.PoolId == Guid.Empty)
            errors["poolId"] = ["The id of the IP pool the address comes from is required."];
        if (request.Username is not null && !UsernamePattern().IsMatch(request.Username))
            errors["username"] = ["3 to 64 characters: lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit."];
        var hash = Hash(request);
        var existing = await FindByKeyAsync(tenantId, idempotencyKey, cancellationToken);
        if (existing is not null)
            return (Same(existing, hash), false);
        var plan = request.PlanId == Guid.Empty ? null : await plans.GetAsync(tenantId, request.PlanId, cancellationToken);
        if (plan is null)
            errors["planId"] = ["No such plan of this tenant."];
        else if (plan.Status != "active")
            errors["planId"] = ["The plan is retired: it takes no new orders."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        var orderId = Guid.CreateVersion7();
        var serviceId = Guid.CreateVersion7();
        var username = request.Username ?? $"sub-{serviceId.ToString("N")[^12..]}";
        var values = new
        {
            Id = orderId,
            ServiceId = serviceId,
            TenantId = tenantId,
            request.CustomerId,
            request.PlanId,
            PlanVersion = plan!.Version,
            request.PoolId,
            Username = username,
            IdempotencyKey = idempotencyKey,
            RequestHash = hash,
        };
        await session.BeginAsync(cancellationToken);
        try
        {
            await session.Connection.ExecuteAsync(new CommandDefinition("savepoint submit", transaction: session.Transaction, cancellationToken: cancellationToken));
            await session.Connection.ExecuteAsync(new CommandDefinition(OrderSql.InsertInstance, values, session.Transaction, cancellationToken: cancellationToken));
            await session.Connection.ExecuteAsync(new CommandDefinition(OrderSql.InsertOrder, values, session.Transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await session.Connection.ExecuteAsync(new CommandDefinition("rollback to savepoint submit", transaction: session.Transaction, cancellationToken: cancellationToken));
            if (e.ConstraintName == "service_instances_live_username_key")
                throw new ConflictException($"Username '{username}' belongs to another live service of this tenant.", "service.username_taken");
            // The same key raced us: the other request's order is the answer.
            await session.CommitAsync(cancellationToken);
            var raced = await FindByKeyAsync(tenantId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("An order key conflicted but its order is not there.", e);
            return (Same(raced, hash), false);
        }
        await publish.Publish(new ServiceOrderSubmitted(tenantId, orderId, serviceId, request.CustomerId, request.PlanId, plan.Version, request.PoolId,
            username, clock.GetUtcNow()), cancellationToken);
        await session.CommitAsync(cancellationToken);
        ProvisioningMetrics.Submitted.Add(1);
        System.Diagnostics.Activity.Current?.SetTag("dotmac.order.id", orderId.ToString());
        return ((await GetAsync(tenantId, orderId, cancellationToken))!, true);
    }

    public async Task<OrderRow?> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(OrderSql.GetOrder, new { TenantId = tenantId, Id = id },
            session.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<OrderStep>> StepsAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        var rows = await session.Connection.QueryAsync<StepRow>(new CommandDefinition(OrderSql.Steps, new { TenantId = tenantId, Id = id },
            session.Transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new OrderStep(r.Step, r.Outcome, r.Detail, Times.Utc(r.At)))];
    }

    /// <summary>Asks the service's saga to suspend, resume or terminate it; 409 if its state does not allow that now.</summary>
    public async Task<InstanceRow> RequestAsync(Guid tenantId, Guid serviceId, string action, string? reason, CancellationToken cancellationToken)
    {
        if (reason is { Length: > 500 })
            throw new ValidationFailedException("reason", "At most 500 characters.");
        await session.BeginAsync(cancellationToken);
        var instance = await session.Connection.QuerySingleOrDefaultAsync<InstanceRow>(new CommandDefinition(OrderSql.GetInstance + " for update of i",
            new { TenantId = tenantId, Id = serviceId }, session.Transaction, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Service", serviceId);
        var allowed = action switch
        {
            "suspend" => instance.Status == "active",
            "resume" => instance.Status == "suspended",
            "terminate" => instance.Status is "active" or "suspended",
            _ => false,
        };
        if (!allowed)
            throw new ConflictException($"A {instance.Status} service cannot be {action switch { "suspend" => "suspended", "resume" => "resumed", _ => "terminated" }}.",
                "service.invalid_transition");
        await publish.Publish(new ServiceLifecycleRequested(tenantId, instance.OrderId, action, reason ?? $"{action} requested by staff"), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return instance;
    }

    /// <summary>
    /// Moves a running (active or suspended) service to another plan's current version, effective today: the instance
    /// takes the new plan, networking re-applies the subscriber's rates (a suspended subscriber stays suspended) and
    /// billing prorates the rest of the invoiced period. 422 for a retired plan or another currency; the same plan
    /// version again changes nothing.
    /// </summary>
    public async Task<InstanceRow> ChangePlanAsync(Guid tenantId, Guid serviceId, Guid planId, CancellationToken cancellationToken)
    {
        var plan = await plans.GetAsync(tenantId, planId, cancellationToken);
        if (plan is not { Status: "active" })
            throw new ValidationFailedException("planId", "No active plan with this id in the tenant.");
        await session.BeginAsync(cancellationToken);
        var instance = await session.Connection.QuerySingleOrDefaultAsync<InstanceRow>(new CommandDefinition(OrderSql.GetInstance + " for update of i",
            new { TenantId = tenantId, Id = serviceId }, session.Transaction, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Service", serviceId);
        if (instance.Status is not ("active" or "suspended"))
            throw new ConflictException($"A {instance.Status} service cannot change plan.", "service.invalid_transition");
        if (instance.PlanId == plan.Id && instance.PlanVersion == plan.Version)
        {
            await session.CommitAsync(cancellationToken);
            return instance;
        }
        var current = await plans.GetVersionAsync(tenantId, instance.PlanId, instance.PlanVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Plan {instance.PlanId} version {instance.PlanVersion} of service {serviceId} is gone.");
        if (current.Currency.Trim() != plan.Currency.Trim())
            throw new ValidationFailedException("planId", $"The service is billed in {current.Currency.Trim()}, the plan in {plan.Currency.Trim()}.");
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "update service_instances set plan_id = @PlanId, plan_version = @Version, updated_at = now() where tenant_id = @TenantId and id = @Id",
            new { PlanId = plan.Id, plan.Version, TenantId = tenantId, Id = serviceId }, session.Transaction, cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition(OrderSql.InsertStep, new
        {
            instance.OrderId, TenantId = tenantId, Step = "change_plan", Outcome = "completed", Detail = $"{current.Name} v{current.Version} -> {plan.Name} v{plan.Version}",
        }, session.Transaction, cancellationToken: cancellationToken));
        await publish.Publish(new ApplyNetworkProfileCommand(tenantId, instance.OrderId, serviceId, instance.Username, instance.Address!,
            plan.DownloadMbps * 1000, plan.UploadMbps * 1000, plan.BurstDownloadMbps * 1000, plan.BurstUploadMbps * 1000, plan.BurstSeconds), cancellationToken);
        await publish.Publish(new ChangeSubscriptionPlanCommand(tenantId, instance.OrderId, plan.Id, plan.Version, plan.Name, plan.Price, plan.Currency.Trim(),
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), cancellationToken);
        await publish.Publish(new ServicePlanChanged(tenantId, instance.OrderId, serviceId, instance.CustomerId, current.Id, current.Version, plan.Id, plan.Version,
            plan.Price, plan.Currency.Trim(), plan.BillingPeriod, clock.GetUtcNow()), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<InstanceRow>(new CommandDefinition(OrderSql.GetInstance, new { TenantId = tenantId, Id = serviceId },
            cancellationToken: cancellationToken));
    }

    async Task<OrderRow?> FindByKeyAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(OrderSql.GetOrderByKey, new { TenantId = tenantId, IdempotencyKey = key },
            session.Transaction, cancellationToken: cancellationToken));
    }

    static OrderRow Same(OrderRow order, string hash) => order.RequestHash == hash ? order : throw IdempotencyKeys.Reused("order");

    static string Hash(CreateOrderRequest request) => IdempotencyKeys.Hash($"{request.CustomerId}|{request.PlanId}|{request.PoolId}|{request.Username}");

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{2,63}$")]
    private static partial Regex UsernamePattern();
}
