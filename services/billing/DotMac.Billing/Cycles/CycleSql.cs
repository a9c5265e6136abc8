namespace DotMac.Billing.Cycles;

internal static class CycleSql
{
    public const string Open = """
        insert into billing_cycles (id, tenant_id, period_start, period_end) values (@Id, @TenantId, @PeriodStart, @PeriodEnd)
        on conflict (tenant_id, period_start) do nothing
        """;

    const string Columns = "id, tenant_id, period_start, period_end, status, account_cursor, batches, invoices, started_at, completed_at";

    public const string Get = $"select {Columns} from billing_cycles where tenant_id = @TenantId and id = @Id";

    public const string List = $"select {Columns} from billing_cycles where tenant_id = @TenantId order by period_start desc limit @Limit offset @Offset";

    public const string Count = "select count(*) from billing_cycles where tenant_id = @TenantId";

    public const string Lock = $"select {Columns} from billing_cycles where id = @Id and tenant_id = @TenantId for update";

    /// <summary>The next accounts (in id order after the cursor) with anything to invoice for the period.</summary>
    public const string Accounts = """
        select a.id, a.customer_id, a.currency, a.credit_balance from billing_accounts a
        where a.tenant_id = @TenantId and a.status = 'active' and (@Cursor::uuid is null or a.id > @Cursor)
          and (exists (select 1 from subscriptions s
                       where s.tenant_id = @TenantId and s.account_id = a.id and s.status = 'active' and s.activation_date <= @PeriodEnd
                         and (s.billed_through is null or s.billed_through < @PeriodStart) and (not s.suspended or @InvoiceSuspended))
               or exists (select 1 from pending_charges c where c.tenant_id = @TenantId and c.account_id = a.id and c.invoice_id is null))
        order by a.id
        limit @Limit
        """;

    public const string Subscriptions = """
        select id, account_id, service_id, plan_name, price, currency, billing_period from subscriptions
        where tenant_id = @TenantId and account_id = any(@Accounts) and status = 'active' and activation_date <= @PeriodEnd
          and (billed_through is null or billed_through < @PeriodStart) and (not suspended or @InvoiceSuspended)
        order by account_id, created_at, id
        """;

    public const string PendingCharges = """
        select id, account_id, subscription_id, service_id, kind, description, period_start, period_end, amount from pending_charges
        where tenant_id = @TenantId and account_id = any(@Accounts) and invoice_id is null
        order by account_id, created_at, id
        """;

    public const string Advance = """
        update billing_cycles set account_cursor = coalesce(@Cursor, account_cursor), batches = batches + 1, invoices = invoices + @Invoices,
            status = case when @Done then 'completed' else status end, completed_at = case when @Done then now() else completed_at end
        where id = @Id
        """;
}
