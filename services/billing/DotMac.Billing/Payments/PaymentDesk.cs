using Dapper;
using DotMac.Billing.Invoicing;
using DotMac.Billing.Subscriptions;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using MassTransit;

namespace DotMac.Billing.Payments;

/// <summary>
/// Takes payments and issues credit notes, once per Idempotency-Key (the same key and body answer the first result;
/// another body with the key is 422). A payment is collected by its provider first (outside the transaction: a card
/// processor is a remote call), under a charge key derived from the tenant and the Idempotency-Key, so a retry after a
/// crash finds the processor's first outcome instead of charging again; then, in one transaction, it is recorded,
/// allocated to the oldest open invoices and announced (PaymentReceived, InvoiceSettled).
/// </summary>
internal sealed class PaymentDesk(DbSession session, IPublishEndpoint publish, IEnumerable<IPaymentProvider> providers, TimeProvider clock)
{
    const string PaymentColumns = """
        id, tenant_id, account_id, customer_id, method, amount, currency, status, reference, provider_reference, failure_reason, attempts, request_hash, created_at
        """;

    const string CreditNoteColumns = "id, account_id, customer_id, number, amount, currency, reason, invoice_id, payment_id, request_hash, created_at";

    public async Task<(PaymentResponse Payment, bool Created)> PayAsync(Guid tenantId, string? idempotencyKey, PaymentRequest request, CancellationToken cancellationToken)
    {
        var key = IdempotencyKeys.Require(idempotencyKey, "payment");
        var provider = providers.FirstOrDefault(p => p.Methods.Contains(request.Method))
            ?? throw new ValidationFailedException("method", $"One of {string.Join(", ", providers.SelectMany(p => p.Methods))}.");
        await session.OpenAsync(cancellationToken);
        var hash = IdempotencyKeys.Hash($"{request.AccountId}|{request.CustomerId}|{request.Amount}|{request.Currency}|{request.Method}|{request.Reference}|{Last4(request.Card)}");
        if (await PaymentOfKeyAsync(tenantId, key, cancellationToken) is { } earlier)
            return (await ResponseAsync(Same(earlier, earlier.RequestHash, hash), cancellationToken), false);

        var account = await AccountAsync(tenantId, request.AccountId, request.CustomerId, cancellationToken);
        var currency = account.Currency?.Trim() ?? request.Currency
            ?? throw new ValidationFailedException("currency", "The account has no currency yet: name the payment's currency.");
        var errors = new Dictionary<string, string[]>();
        if (request.Currency is { } named && named != currency)
            errors["currency"] = [$"The account bills in {currency}."];
        if (request.Amount <= 0 || !Money.IsExact(request.Amount, currency))
            errors["amount"] = [$"Above zero, with at most {Money.MinorUnit(currency)} decimals ({currency})."];
        if (request.Method == "bank_transfer" && string.IsNullOrWhiteSpace(request.Reference))
            errors["reference"] = ["A bank transfer needs the bank's reference."];
        if (request.Method == "card" && (request.Card is not { } card || card.Number.Count(char.IsDigit) is < 12 or > 19 || card.ExpiryMonth is < 1 or > 12
            || new DateOnly(Math.Clamp(card.ExpiryYear, 1, 9999), Math.Clamp(card.ExpiryMonth, 1, 12), 1).AddMonths(1) <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            errors["card"] = ["A card payment needs a card: number (12-19 digits), expiry month and year not past, cvc."];
        if (request.Method != "card" && request.Card is not null)
            errors["card"] = ["Only a card payment carries a card."];
        if (request.Reference is { Length: > 200 })
            errors["reference"] = ["At most 200 characters."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        var result = await provider.CollectAsync(new CollectionRequest($"{tenantId:N}:{key}", request.Amount, currency, request.Reference, request.Card), cancellationToken);

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var transaction = await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition("select 1 from billing_accounts where id = @Id and tenant_id = @TenantId for update",
            new { account.Id, TenantId = tenantId }, transaction, cancellationToken: cancellationToken));
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition("""
            insert into payments (id, tenant_id, account_id, customer_id, method, amount, currency, status, reference, provider_reference, failure_reason,
                attempts, idempotency_key, request_hash, created_at)
            values (@Id, @TenantId, @AccountId, @CustomerId, @Method, @Amount, @Currency, @Status, @Reference, @ProviderReference, @FailureReason,
                @Attempts, @Key, @Hash, @Now)
            on conflict (tenant_id, idempotency_key) do nothing
            """, new
        {
            Id = id, TenantId = tenantId, AccountId = account.Id, account.CustomerId, request.Method, request.Amount, Currency = currency, result.Status,
            request.Reference, result.ProviderReference, result.FailureReason, result.Attempts, Key = key, Hash = hash, Now = now,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            // The same key was posted concurrently and its twin committed first: answer what it recorded.
            await session.RollbackAsync();
            var twin = await PaymentOfKeyAsync(tenantId, key, cancellationToken) ?? throw new InvalidOperationException("The concurrent payment vanished.");
            return (await ResponseAsync(Same(twin, twin.RequestHash, hash), cancellationToken), false);
        }
        if (result.Succeeded)
        {
            await PaymentLedger.ApplyAsync(session.Connection, transaction, publish, tenantId, account.Id, account.CustomerId, request.Amount, "payment", id, null, null,
                now, cancellationToken);
            await publish.Publish(new PaymentReceived(tenantId, id, account.Id, account.CustomerId, request.Amount, currency, request.Method, now), cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        if (result.Succeeded)
            BillingMetrics.Collected(request.Amount, currency);
        return (await ResponseAsync((await PaymentAsync(tenantId, id, cancellationToken))!, cancellationToken), true);
    }

    public async Task<PaymentResponse?> GetPaymentAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await PaymentAsync(tenantId, id, cancellationToken) is { } row ? await ResponseAsync(row, cancellationToken) : null;
    }

    /// <summary>A page of payments with their allocations: three queries, whatever the size of the page.</summary>
    public async Task<(IReadOnlyList<PaymentResponse> Items, long Total)> ListAsync(Guid tenantId, Guid? accountId, Guid? customerId, int limit, int offset,
        CancellationToken cancellationToken)
    {
        const string Filter = """
            where tenant_id = @TenantId and (@AccountId::uuid is null or account_id = @AccountId) and (@CustomerId::uuid is null or customer_id = @CustomerId)
            """;
        await session.OpenAsync(cancellationToken);
        var parameters = new { TenantId = tenantId, AccountId = accountId, CustomerId = customerId, Limit = limit, Offset = offset };
        var rows = (await session.Connection.QueryAsync<PaymentRow>(new CommandDefinition(
            $"select {PaymentColumns} from payments {Filter} order by created_at desc, id limit @Limit offset @Offset", parameters, cancellationToken: cancellationToken))).AsList();
        var total = await session.Connection.ExecuteScalarAsync<long>(new CommandDefinition($"select count(*) from payments {Filter}", parameters,
            cancellationToken: cancellationToken));
        var allocations = await AllocationsAsync(tenantId, [.. rows.Select(r => r.Id)], cancellationToken);
        return ([.. rows.Select(r => Response(r, allocations[r.Id]))], total);
    }

    public async Task<(CreditNoteResponse Note, bool Created)> CreditAsync(Guid tenantId, string? idempotencyKey, CreditNoteRequest request, CancellationToken cancellationToken)
    {
        var key = IdempotencyKeys.Require(idempotencyKey, "credit note");
        await session.OpenAsync(cancellationToken);
        var hash = IdempotencyKeys.Hash($"{request.AccountId}|{request.Amount}|{request.Reason}|{request.InvoiceId}|{request.PaymentId}");
        if (await CreditNoteOfKeyAsync(tenantId, key, cancellationToken) is { } earlier)
            return (Same(earlier, earlier.RequestHash, hash).ToResponse(), false);
        var account = await AccountAsync(tenantId, request.AccountId, null, cancellationToken);
        var currency = account.Currency?.Trim() ?? throw new ConflictException("The account has never been invoiced: there is nothing to credit.", "credit_note.no_currency");
        var errors = new Dictionary<string, string[]>();
        if (request.Amount <= 0 || !Money.IsExact(request.Amount, currency))
            errors["amount"] = [$"Above zero, with at most {Money.MinorUnit(currency)} decimals ({currency})."];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            errors["reason"] = ["1 to 500 characters."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        var transaction = await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var tenant = await TenantBilling.LockAsync(connection, transaction, tenantId, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("select 1 from billing_accounts where id = @Id and tenant_id = @TenantId for update",
            new { account.Id, TenantId = tenantId }, transaction, cancellationToken: cancellationToken));
        if (request.InvoiceId is { } invoiceId && await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "select account_id from invoices where id = @Id and tenant_id = @TenantId", new { Id = invoiceId, TenantId = tenantId }, transaction,
                cancellationToken: cancellationToken)) != account.Id)
            throw new ValidationFailedException("invoiceId", "Not an invoice of this account.");
        if (request.PaymentId is { } paymentId && await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "select account_id from payments where id = @Id and tenant_id = @TenantId and status = 'succeeded'", new { Id = paymentId, TenantId = tenantId }, transaction,
                cancellationToken: cancellationToken)) != account.Id)
            throw new ValidationFailedException("paymentId", "Not a successful payment of this account.");
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var number = TenantBilling.CreditNoteNumber(tenant.NextCreditNoteNumber);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into credit_notes (id, tenant_id, account_id, customer_id, sequence, number, invoice_id, payment_id, amount, currency, reason, idempotency_key, request_hash, created_at)
            values (@Id, @TenantId, @AccountId, @CustomerId, @Sequence, @Number, @InvoiceId, @PaymentId, @Amount, @Currency, @Reason, @Key, @Hash, @Now)
            on conflict (tenant_id, idempotency_key) do nothing
            """, new
        {
            Id = id, TenantId = tenantId, AccountId = account.Id, account.CustomerId, Sequence = tenant.NextCreditNoteNumber, Number = number, request.InvoiceId,
            request.PaymentId, request.Amount, Currency = currency, Reason = request.Reason.Trim(), Key = key, Hash = hash, Now = now,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            await session.RollbackAsync();
            var twin = await CreditNoteOfKeyAsync(tenantId, key, cancellationToken) ?? throw new InvalidOperationException("The concurrent credit note vanished.");
            return (Same(twin, twin.RequestHash, hash).ToResponse(), false);
        }
        await TenantBilling.TakeCreditNoteNumberAsync(connection, transaction, tenantId, cancellationToken);
        await PaymentLedger.ApplyAsync(connection, transaction, publish, tenantId, account.Id, account.CustomerId, request.Amount, "credit_note", null, id,
            request.InvoiceId, now, cancellationToken);
        await publish.Publish(new CreditNoteIssued(tenantId, id, account.Id, account.CustomerId, number, request.Amount, currency, request.InvoiceId, now), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return ((await CreditNoteAsync(tenantId, id, cancellationToken))!.ToResponse(), true);
    }

    public async Task<CreditNoteResponse?> GetCreditNoteAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return (await CreditNoteAsync(tenantId, id, cancellationToken))?.ToResponse();
    }

    async Task<AccountRow> AccountAsync(Guid tenantId, Guid? accountId, Guid? customerId, CancellationToken cancellationToken)
    {
        if (accountId is null == customerId is null)
            throw new ValidationFailedException("accountId", "Name the account, or the customer whose account it is (one of them).");
        const string Sql = "select id, tenant_id, customer_id, currency, status, credit_balance, created_at from billing_accounts where tenant_id = @TenantId";
        var row = accountId is { } id
            ? await session.Connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(Sql + " and id = @Id", new { TenantId = tenantId, Id = id },
                session.Transaction, cancellationToken: cancellationToken))
            : await session.Connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(Sql + " and customer_id = @CustomerId",
                new { TenantId = tenantId, CustomerId = customerId }, session.Transaction, cancellationToken: cancellationToken));
        return row ?? throw new ValidationFailedException(accountId is null ? "customerId" : "accountId", "No such billing account in this tenant.");
    }

    Task<PaymentRow?> PaymentOfKeyAsync(Guid tenantId, string key, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<PaymentRow>(new CommandDefinition($"select {PaymentColumns} from payments where tenant_id = @TenantId and idempotency_key = @Key",
            new { TenantId = tenantId, Key = key }, session.Transaction, cancellationToken: cancellationToken));

    Task<PaymentRow?> PaymentAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<PaymentRow>(new CommandDefinition($"select {PaymentColumns} from payments where tenant_id = @TenantId and id = @Id",
            new { TenantId = tenantId, Id = id }, session.Transaction, cancellationToken: cancellationToken));

    Task<CreditNoteRow?> CreditNoteOfKeyAsync(Guid tenantId, string key, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<CreditNoteRow>(new CommandDefinition($"select {CreditNoteColumns} from credit_notes where tenant_id = @TenantId and idempotency_key = @Key",
            new { TenantId = tenantId, Key = key }, session.Transaction, cancellationToken: cancellationToken));

    Task<CreditNoteRow?> CreditNoteAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<CreditNoteRow>(new CommandDefinition($"select {CreditNoteColumns} from credit_notes where tenant_id = @TenantId and id = @Id",
            new { TenantId = tenantId, Id = id }, session.Transaction, cancellationToken: cancellationToken));

    async Task<PaymentResponse> ResponseAsync(PaymentRow row, CancellationToken cancellationToken) =>
        Response(row, (await AllocationsAsync(row.TenantId, [row.Id], cancellationToken))[row.Id]);

    async Task<ILookup<Guid, AllocationRow>> AllocationsAsync(Guid tenantId, Guid[] payments, CancellationToken cancellationToken) =>
        (await session.Connection.QueryAsync<AllocationRow>(new CommandDefinition("""
            select a.payment_id, a.invoice_id, i.number as invoice_number, a.source, a.amount from allocations a join invoices i on i.id = a.invoice_id
            where a.tenant_id = @TenantId and a.payment_id = any(@Payments) order by a.created_at, a.id
            """, new { TenantId = tenantId, Payments = payments }, session.Transaction, cancellationToken: cancellationToken))).ToLookup(a => a.PaymentId);

    static PaymentResponse Response(PaymentRow row, IEnumerable<AllocationRow> allocations)
    {
        var currency = row.Currency.Trim();
        var kept = row.Status == "succeeded" ? row.Amount - allocations.Sum(a => a.Amount) : 0;
        return new PaymentResponse(row.Id, row.AccountId, row.CustomerId, row.Method, Money.Round(row.Amount, currency), currency, row.Status, row.Reference,
            row.ProviderReference, row.FailureReason, row.Attempts,
            [.. allocations.Select(a => new AllocationResponse(a.InvoiceId, a.InvoiceNumber, a.Source, Money.Round(a.Amount, currency)))], Money.Round(kept, currency),
            Times.Utc(row.CreatedAt));
    }

    /// <summary>Only the last four digits of a card are kept anywhere (the request hash included).</summary>
    static string? Last4(CardDetails? card) => card is null ? null : new string([.. card.Number.Where(char.IsDigit).TakeLast(4)]);

    static T Same<T>(T row, string earlierHash, string hash) => earlierHash == hash ? row : throw IdempotencyKeys.Reused("request");
}
