namespace DotMac.Services.Provisioning;

internal static class OrderSql
{
    public const string InsertInstance = """
        insert into service_instances (id, tenant_id, customer_id, plan_id, plan_version, pool_id, username)
        values (@ServiceId, @TenantId, @CustomerId, @PlanId, @PlanVersion, @PoolId, @Username)
        """;

    public const string InsertOrder = """
        insert into service_orders (id, tenant_id, service_id, customer_id, plan_id, plan_version, pool_id, username, idempotency_key, request_hash)
        values (@Id, @TenantId, @ServiceId, @CustomerId, @PlanId, @PlanVersion, @PoolId, @Username, @IdempotencyKey, @RequestHash)
        """;

    const string OrderColumns = """
        o.id, o.tenant_id, o.service_id, o.customer_id, o.plan_id, o.plan_version, o.pool_id, o.username, o.request_hash, o.status,
        o.failed_step, o.failure_reason, o.created_at, o.updated_at, i.address, i.subscription_id, i.status as service_status
        """;

    const string OrderFrom = "from service_orders o join service_instances i on i.id = o.service_id";

    public const string GetOrder = $"select {OrderColumns} {OrderFrom} where o.tenant_id = @TenantId and o.id = @Id";

    public const string GetOrderByKey = $"select {OrderColumns} {OrderFrom} where o.tenant_id = @TenantId and o.idempotency_key = @IdempotencyKey";

    public const string ListOrders = $"""
        select {OrderColumns} {OrderFrom}
        where o.tenant_id = @TenantId and (@Status::text is null or o.status = @Status) and (@CustomerId::uuid is null or o.customer_id = @CustomerId)
        order by o.created_at desc, o.id limit @Limit offset @Offset
        """;

    public const string CountOrders = """
        select count(*) from service_orders o
        where o.tenant_id = @TenantId and (@Status::text is null or o.status = @Status) and (@CustomerId::uuid is null or o.customer_id = @CustomerId)
        """;

    public const string Steps = "select step, outcome, detail, at from service_order_steps where tenant_id = @TenantId and order_id = @Id order by seq";

    public const string InsertStep = "insert into service_order_steps (order_id, tenant_id, step, outcome, detail) values (@OrderId, @TenantId, @Step, @Outcome, @Detail)";

    public const string SetOrderStatus = """
        update service_orders set status = @Status, failed_step = coalesce(@FailedStep, failed_step), failure_reason = coalesce(@Reason, failure_reason), updated_at = now()
        where tenant_id = @TenantId and id = @OrderId
        """;

    public const string SetInstance = """
        update service_instances set
            status = @Status,
            status_reason = @Reason,
            address = coalesce(@Address, address),
            subscription_id = coalesce(@SubscriptionId, subscription_id),
            activated_at = case when @Status = 'active' and activated_at is null then now() else activated_at end,
            suspended_at = case when @Status = 'suspended' then now() when @Status = 'active' then null else suspended_at end,
            terminated_at = case when @Status = 'terminated' then now() else terminated_at end,
            updated_at = now()
        where tenant_id = @TenantId and id = @ServiceId
        """;

    const string InstanceColumns = """
        i.id, i.tenant_id, i.customer_id, i.plan_id, i.plan_version, i.pool_id, i.username, i.address, i.subscription_id, i.status, i.status_reason,
        i.activated_at, i.suspended_at, i.terminated_at, i.created_at, i.updated_at, o.id as order_id
        """;

    public const string GetInstance = $"""
        select {InstanceColumns} from service_instances i join service_orders o on o.service_id = i.id where i.tenant_id = @TenantId and i.id = @Id
        """;

    public const string ListInstances = $"""
        select {InstanceColumns} from service_instances i join service_orders o on o.service_id = i.id
        where i.tenant_id = @TenantId and (@Status::text is null or i.status = @Status) and (@CustomerId::uuid is null or i.customer_id = @CustomerId)
        order by i.created_at desc, i.id limit @Limit offset @Offset
        """;

    public const string CountInstances = """
        select count(*) from service_instances i
        where i.tenant_id = @TenantId and (@Status::text is null or i.status = @Status) and (@CustomerId::uuid is null or i.customer_id = @CustomerId)
        """;
}
