using Dapper;
using DotMac.Contracts.Billing;
using MassTransit;
using Npgsql;

namespace DotMac.Billing.Payments;

/// <summary>
/// Applies money to an account in the caller's transaction: to its open invoices oldest first (issued order), each
/// invoice paid or partially paid, and whatever is left kept as the account's credit (applied by the next cycle). An
/// invoice with nothing left to pay publishes InvoiceSettled (its dunning ends and a suspension is lifted).
/// </summary>
internal static class PaymentLedger
{
    sealed class OpenInvoice
    {
        public Guid Id { get; init; }
        public decimal Total { get; init; }
        public decimal AmountPaid { get; init; }
        public decimal AmountCredited { get; init; }
        public string Status { get; init; } = "";
        public string Currency { get; init; } = "";
        public decimal Due => Total - AmountPaid - AmountCredited;
    }

    const string OpenInvoices = """
        select id, total, amount_paid, amount_credited, status, currency from invoices
        where tenant_id = @TenantId and account_id = @AccountId and status in ('issued', 'partially_paid', 'overdue') and (@InvoiceId::uuid is null or id = @InvoiceId)
        order by issued_at, sequence
        for update
        """;

    /// <summary>Allocates <paramref name="amount"/>; returns what was kept as credit. The account row must be locked by the caller.</summary>
    public static async Task<decimal> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IPublishEndpoint publish, Guid tenantId, Guid accountId,
        Guid customerId, decimal amount, string source, Guid? paymentId, Guid? creditNoteId, Guid? onlyInvoice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var invoices = await connection.QueryAsync<OpenInvoice>(new CommandDefinition(OpenInvoices,
            new { TenantId = tenantId, AccountId = accountId, InvoiceId = onlyInvoice }, transaction, cancellationToken: cancellationToken));
        var left = amount;
        foreach (var invoice in invoices)
        {
            if (left <= 0)
                break;
            var applied = Math.Min(left, invoice.Due);
            if (applied <= 0)
                continue;
            left -= applied;
            var settled = applied == invoice.Due;
            var status = settled ? "paid" : invoice.Status == "overdue" ? "overdue" : "partially_paid";
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into allocations (id, tenant_id, account_id, invoice_id, source, payment_id, credit_note_id, amount)
                values (@Id, @TenantId, @AccountId, @InvoiceId, @Source, @PaymentId, @CreditNoteId, @Amount)
                """, new { Id = Guid.CreateVersion7(), TenantId = tenantId, AccountId = accountId, InvoiceId = invoice.Id, Source = source, PaymentId = paymentId,
                CreditNoteId = creditNoteId, Amount = applied }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                update invoices set
                    amount_paid = amount_paid + case when @CreditNote then 0 else @Amount end,
                    amount_credited = amount_credited + case when @CreditNote then @Amount else 0 end,
                    status = @Status,
                    settled_at = case when @Settled then @Now else settled_at end,
                    updated_at = now()
                where id = @Id
                """, new { invoice.Id, Amount = applied, CreditNote = creditNoteId is not null, Settled = settled, Status = status, Now = now }, transaction,
                cancellationToken: cancellationToken));
            await publish.Publish(new InvoiceBalanceChanged(tenantId, invoice.Id, customerId, applied, invoice.Due - applied, invoice.Currency.Trim(), status,
                creditNoteId is null ? "payment" : "credit_note", paymentId, creditNoteId, now), cancellationToken);
            if (settled)
                await publish.Publish(new InvoiceSettled(tenantId, invoice.Id, customerId, "paid", now), cancellationToken);
        }
        if (left > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update billing_accounts set credit_balance = credit_balance + @Left, updated_at = now() where id = @AccountId and tenant_id = @TenantId",
                new { Left = left, AccountId = accountId, TenantId = tenantId }, transaction, cancellationToken: cancellationToken));
        }
        return left;
    }
}
