namespace DotMac.Billing.Subscriptions;

internal static class SubscriptionSql
{
    public const string OpenAccount = """
        insert into billing_accounts (id, tenant_id, customer_id, currency) values (@Id, @TenantId, @CustomerId, @Currency)
        on conflict (tenant_id, customer_id) do nothing
        """;

    const string AccountColumns = "id, tenant_id, customer_id, currency, status, credit_balance, created_at";

    public const string AccountForUpdate = $"select {AccountColumns} from billing_accounts where tenant_id = @TenantId and customer_id = @CustomerId for update";

    public const string SetAccountCurrency = "update billing_accounts set currency = @Currency, updated_at = now() where id = @Id and currency is null";

    public const string ListAccounts = $"""
        select {AccountColumns} from billing_accounts where tenant_id = @TenantId and (@CustomerId::uuid is null or customer_id = @CustomerId)
        order by created_at, id limit @Limit offset @Offset
        """;

    public const string CountAccounts = "select count(*) from billing_accounts where tenant_id = @TenantId and (@CustomerId::uuid is null or customer_id = @CustomerId)";

    const string Columns = """
        id, tenant_id, account_id, customer_id, order_id, service_id, plan_id, plan_version, plan_name, price, currency, billing_period,
        activation_date, status, billed_through, suspended, ended_on, cancelled_at, cancel_reason, created_at
        """;

    public const string Insert = $"""
        insert into subscriptions (id, tenant_id, account_id, customer_id, order_id, service_id, plan_id, plan_version, plan_name, price, currency,
            billing_period, activation_date)
        values (@Id, @TenantId, @AccountId, @CustomerId, @OrderId, @ServiceId, @PlanId, @PlanVersion, @PlanName, @Price, @Currency, @BillingPeriod, @ActivationDate)
        on conflict (tenant_id, order_id) do nothing
        """;

    public const string OfOrder = $"select {Columns} from subscriptions where tenant_id = @TenantId and order_id = @OrderId";

    public const string Get = $"select {Columns} from subscriptions where tenant_id = @TenantId and id = @Id";

    public const string List = $"""
        select {Columns} from subscriptions
        where tenant_id = @TenantId and (@CustomerId::uuid is null or customer_id = @CustomerId) and (@Status::text is null or status = @Status)
        order by created_at desc, id limit @Limit offset @Offset
        """;

    public const string Count = """
        select count(*) from subscriptions
        where tenant_id = @TenantId and (@CustomerId::uuid is null or customer_id = @CustomerId) and (@Status::text is null or status = @Status)
        """;

    public const string Cancel = """
        update subscriptions set status = 'cancelled', cancelled_at = now(), cancel_reason = @Reason, ended_on = @EndedOn, updated_at = now()
        where tenant_id = @TenantId and order_id = @OrderId and status = 'active'
        returning id
        """;

    public const string OfOrderForUpdate = $"select {Columns} from subscriptions where tenant_id = @TenantId and order_id = @OrderId for update";

    public const string ForUpdate = $"select {Columns} from subscriptions where tenant_id = @TenantId and id = @Id for update";

    public const string SetSuspended = "update subscriptions set suspended = @Suspended, updated_at = now() where tenant_id = @TenantId and service_id = @ServiceId";

    public const string ChangePlan = """
        update subscriptions set plan_id = @PlanId, plan_version = @PlanVersion, plan_name = @PlanName, price = @Price, updated_at = now()
        where tenant_id = @TenantId and id = @Id
        """;
}
