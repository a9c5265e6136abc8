using Dapper;
using DotMac.Billing.Invoicing;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Billing.Apis;

/// <summary>
/// Invoices of the caller's tenant; a customer (portal) sees only their own, staff (billing:read) all:
/// GET  /api/v1/invoices?customerId=&amp;accountId=&amp;status=&amp;limit=&amp;offset=
/// GET  /api/v1/invoices/{id}           with lines and taxes
/// GET  /api/v1/invoices/{id}/html      the printable invoice
/// POST /api/v1/invoices/{id}/void      (billing:write) an issued invoice nothing was paid or credited on
/// POST /api/v1/accounts/{id}/charges   (billing:write, Idempotency-Key) a one-time charge for the next invoice
/// POST /api/v1/accounts/{id}/invoices  (billing:write) issue an invoice of the account's pending charges now
/// </summary>
internal static class InvoicesApi
{
    const string Columns = """
        id, tenant_id, number, account_id, customer_id, cycle_id, status, currency, period_start, period_end, lines_total, net, tax_total, total,
        amount_paid, amount_credited, issued_at, due_at, settled_at, dunning_stage, void_reason
        """;

    const string Filter = """
        where tenant_id = @TenantId and status <> 'draft' and (@CustomerId::uuid is null or customer_id = @CustomerId)
          and (@AccountId::uuid is null or account_id = @AccountId) and (@Status::text is null or status = @Status)
        """;

    static readonly string[] Statuses = ["issued", "partially_paid", "paid", "overdue", "void"];

    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/invoices", ListAsync).WithSummary("List invoices").WithTags("Invoices").RequirePermission("billing", "read");
        app.MapGet("/api/v1/invoices/{id:guid}", GetAsync).WithSummary("One invoice with its lines and taxes").WithTags("Invoices").RequirePermission("billing", "read");
        app.MapGet("/api/v1/invoices/{id:guid}/html", HtmlAsync).WithSummary("The invoice as a printable HTML document").WithTags("Invoices").RequirePermission("billing", "read");
        app.MapPost("/api/v1/invoices/{id:guid}/void", VoidAsync).WithSummary("Void an unpaid invoice").WithTags("Invoices").RequirePermission("billing", "write");
        app.MapPost("/api/v1/accounts/{id:guid}/charges", ChargeAsync).WithSummary("Add a one-off charge to an account (Idempotency-Key)").WithTags("Invoices").RequirePermission("billing", "write");
        app.MapPost("/api/v1/accounts/{id:guid}/invoices", InvoiceNowAsync).WithSummary("Invoice an account's open charges now").WithTags("Invoices").RequirePermission("billing", "write");
        return app;
    }

    static async Task<Ok<Page<InvoiceResponse>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        Guid? customerId = null, Guid? accountId = null, string? status = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        if (status is not null && !Statuses.Contains(status))
            throw new ValidationFailedException("status", string.Join(", ", Statuses));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, CustomerId = caller.OwnCustomer("billing", customerId), AccountId = accountId, Status = status, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<InvoiceRow>(new CommandDefinition($"select {Columns} from invoices {Filter} order by sequence desc limit @Limit offset @Offset",
            parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"select count(*) from invoices {Filter}", parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<InvoiceResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<InvoiceResponse>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(id, caller, db, cancellationToken));

    static async Task<ContentHttpResult> HtmlAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken) =>
        TypedResults.Content(InvoiceHtml.Render(await LoadAsync(id, caller, db, cancellationToken)), "text/html; charset=utf-8");

    /// <summary>The invoice with its lines and taxes, if the caller may see it (another customer's is 404, as if it did not exist).</summary>
    static async Task<InvoiceResponse> LoadAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InvoiceRow>(new CommandDefinition($"select {Columns} from invoices where tenant_id = @TenantId and id = @Id and status <> 'draft'",
            new { caller.TenantId, Id = id }, cancellationToken: cancellationToken));
        if (row is null || caller.OwnCustomer("billing") is { } own && own != row.CustomerId)
            throw new NotFoundException("Invoice", id);
        var lines = await connection.QueryAsync<InvoiceLineRow>(new CommandDefinition("""
            select position, kind, description, subscription_id, service_id, period_start, period_end, amount from invoice_lines
            where invoice_id = @Id and tenant_id = @TenantId order by position
            """, new { Id = id, caller.TenantId }, cancellationToken: cancellationToken));
        var taxes = await connection.QueryAsync<InvoiceTaxRow>(new CommandDefinition("""
            select name, percent, inclusive, taxable_amount, amount from invoice_taxes where invoice_id = @Id and tenant_id = @TenantId order by position
            """, new { Id = id, caller.TenantId }, cancellationToken: cancellationToken));
        var currency = row.Currency.Trim();
        return row.ToResponse(
            [.. lines.Select(l => new InvoiceLineResponse(l.Position, l.Kind, l.Description, l.SubscriptionId, l.ServiceId, l.PeriodStart, l.PeriodEnd, Money.Round(l.Amount, currency)))],
            [.. taxes.Select(t => new InvoiceTaxResponse(t.Name, t.Percent, t.Inclusive, Money.Round(t.TaxableAmount, currency), Money.Round(t.Amount, currency)))]);
    }

    static async Task<Ok<InvoiceResponse>> VoidAsync(Guid id, VoidRequest body, Caller caller, NpgsqlDataSource db, DbSession session, IPublishEndpoint publish,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
            throw new ValidationFailedException("reason", "1 to 500 characters.");
        var transaction = await session.BeginAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<InvoiceRow>(new CommandDefinition(
            $"select {Columns} from invoices where tenant_id = @TenantId and id = @Id and status <> 'draft' for update", new { caller.TenantId, Id = id }, transaction,
            cancellationToken: cancellationToken)) ?? throw new NotFoundException("Invoice", id);
        if (row.Status is not ("issued" or "overdue") || row.AmountPaid != 0 || row.AmountCredited != 0)
            throw new ConflictException($"Invoice {row.Number} is {row.Status.Replace('_', ' ')}{(row.AmountPaid + row.AmountCredited > 0 ? " with money applied" : "")}: only an issued invoice nothing was applied to can be voided (credit it instead).", "invoice.not_voidable");
        var now = clock.GetUtcNow();
        await session.Connection.ExecuteAsync(new CommandDefinition("""
            update invoices set status = 'void', void_reason = @Reason, settled_at = @Now, updated_at = now() where id = @Id
            """, new { Id = id, Reason = body.Reason.Trim(), Now = now }, transaction, cancellationToken: cancellationToken));
        await publish.Publish(new InvoiceSettled(caller.TenantId, id, row.CustomerId, "void", now), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(await LoadAsync(id, caller, db, cancellationToken));
    }

    static async Task<Results<Created<ChargeResponse>, Ok<ChargeResponse>>> ChargeAsync(Guid id, ChargeRequest body, Caller caller, DbSession session,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        idempotencyKey = IdempotencyKeys.Require(idempotencyKey, "charge");
        var transaction = await session.BeginAsync(cancellationToken);
        var account = await session.Connection.QuerySingleOrDefaultAsync<(Guid Id, string? Currency)?>(new CommandDefinition(
            "select id, currency from billing_accounts where tenant_id = @TenantId and id = @Id for update", new { caller.TenantId, Id = id }, transaction,
            cancellationToken: cancellationToken)) ?? throw new NotFoundException("Account", id);
        var tenant = await TenantBilling.GetAsync(session.Connection, transaction, caller.TenantId, cancellationToken);
        var currency = account.Currency?.Trim() ?? tenant.Currency?.Trim()
            ?? throw new ConflictException("Neither the account nor the tenant has a currency yet.", "account.no_currency");
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Description) || body.Description.Length > 200)
            errors["description"] = ["1 to 200 characters."];
        if (body.Amount == 0 || !Money.IsExact(body.Amount, currency))
            errors["amount"] = [$"Not zero, with at most {Money.MinorUnit(currency)} decimals ({currency}); negative for a discount."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        var chargeId = Guid.CreateVersion7();
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition("""
            insert into pending_charges (id, tenant_id, account_id, kind, description, amount, source_key)
            values (@Id, @TenantId, @AccountId, 'one_time', @Description, @Amount, @SourceKey)
            on conflict (tenant_id, source_key) do nothing
            """, new { Id = chargeId, caller.TenantId, AccountId = id, Description = body.Description.Trim(), body.Amount, SourceKey = $"one_time:{idempotencyKey}" },
            transaction, cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition("update billing_accounts set currency = @Currency where id = @Id and currency is null",
            new { Id = id, Currency = currency }, transaction, cancellationToken: cancellationToken));
        var charge = await session.Connection.QuerySingleAsync<(Guid Id, Guid AccountId, string Kind, string Description, decimal Amount, Guid? InvoiceId, DateTime CreatedAt)>(
            new CommandDefinition("""
                select id, account_id, kind, description, amount, invoice_id, created_at from pending_charges where tenant_id = @TenantId and source_key = @SourceKey
                """, new { caller.TenantId, SourceKey = $"one_time:{idempotencyKey}" }, transaction, cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
        if (charge.AccountId != id || charge.Description != body.Description.Trim() || charge.Amount != body.Amount)
            throw IdempotencyKeys.Reused("charge");
        var response = new ChargeResponse(charge.Id, charge.AccountId, charge.Kind, charge.Description, Money.Round(charge.Amount, currency), charge.InvoiceId, Times.Utc(charge.CreatedAt));
        return inserted > 0 ? TypedResults.Created($"/api/v1/accounts/{id}/charges/{charge.Id}", response) : TypedResults.Ok(response);
    }

    static async Task<Created<InvoiceResponse>> InvoiceNowAsync(Guid id, Caller caller, NpgsqlDataSource db, DbSession session, IPublishEndpoint publish,
        TimeProvider clock, IOptions<BillingOptions> options, CancellationToken cancellationToken)
    {
        var transaction = await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var tenant = await TenantBilling.LockAsync(connection, transaction, caller.TenantId, cancellationToken);
        var account = await connection.QuerySingleOrDefaultAsync<(Guid Id, Guid CustomerId, string? Currency, decimal CreditBalance)?>(new CommandDefinition(
            "select id, customer_id, currency, credit_balance from billing_accounts where tenant_id = @TenantId and id = @Id for update", new { caller.TenantId, Id = id },
            transaction, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Account", id);
        var charges = (await connection.QueryAsync<Cycles.PendingCharge>(new CommandDefinition(Cycles.CycleSql.PendingCharges,
            new { caller.TenantId, Accounts = new[] { id } }, transaction, cancellationToken: cancellationToken))).AsList();
        if (charges.Count == 0 || account.Currency is null)
            throw new ConflictException("The account has no pending charges to invoice.", "invoice.nothing_pending");
        var currency = account.Currency.Trim();
        var draft = InvoiceDraft.Compose(caller.TenantId, id, account.CustomerId, currency, [.. charges.Select(c => c.ToLine())], tenant.Taxes(), account.CreditBalance);
        await InvoiceWriter.IssueAsync(connection, transaction, tenant, [draft], clock.GetUtcNow(), options.Value.DayLength, publish, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/invoices/{draft.Id}", await LoadAsync(draft.Id, caller, db, cancellationToken));
    }
}
