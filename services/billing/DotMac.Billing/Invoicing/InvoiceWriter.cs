using Dapper;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using MassTransit;
using Npgsql;
using NpgsqlTypes;

namespace DotMac.Billing.Invoicing;

/// <summary>
/// Issues composed invoices in the caller's transaction, which must hold the tenant's billing row lock
/// (<see cref="TenantBilling.LockAsync"/>): numbers in order from the tenant's counter, invoices, lines and taxes by
/// binary COPY, pending charges marked taken, credit applied, and one InvoiceIssued each into the outbox.
/// </summary>
internal static class InvoiceWriter
{
    public static async Task IssueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantBillingRow tenant, IReadOnlyList<InvoiceDraft> drafts,
        DateTimeOffset now, TimeSpan dayLength, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
            return;
        var dueAt = now + dayLength * tenant.PaymentTermsDays;
        var sequence = tenant.NextInvoiceNumber;
        var numbers = new long[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
            numbers[i] = sequence++;

        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy invoices (id, tenant_id, account_id, customer_id, cycle_id, sequence, number, status, currency, period_start, period_end,
                lines_total, net, tax_total, total, amount_paid, issued_at, due_at, settled_at) from stdin (format binary)
            """, cancellationToken))
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                var d = drafts[i];
                var status = d.StatusAtIssue;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(d.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(d.TenantId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(d.AccountId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(d.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(copy, d.CycleId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(numbers[i], NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(TenantBilling.InvoiceNumber(numbers[i]), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(status, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Currency, NpgsqlDbType.Char, cancellationToken);
                await WriteNullableAsync(copy, d.PeriodStart, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(copy, d.PeriodEnd, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(d.Totals.LinesTotal, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(d.Totals.Net, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(d.Totals.TaxTotal, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(d.Totals.Total, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(d.CreditApplied, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(dueAt, NpgsqlDbType.TimestampTz, cancellationToken);
                if (status == "paid")
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                else
                    await copy.WriteNullAsync(cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy invoice_lines (id, tenant_id, invoice_id, position, kind, subscription_id, service_id, description, period_start, period_end, amount)
            from stdin (format binary)
            """, cancellationToken))
        {
            foreach (var d in drafts)
            {
                for (var position = 0; position < d.Lines.Count; position++)
                {
                    var line = d.Lines[position];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(d.TenantId, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(d.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(position + 1, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(line.Kind, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(copy, line.SubscriptionId, NpgsqlDbType.Uuid, cancellationToken);
                    await WriteNullableAsync(copy, line.ServiceId, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(line.Description, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(copy, line.PeriodStart, NpgsqlDbType.Date, cancellationToken);
                    await WriteNullableAsync(copy, line.PeriodEnd, NpgsqlDbType.Date, cancellationToken);
                    await copy.WriteAsync(line.Amount, NpgsqlDbType.Numeric, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }

        if (drafts.Any(d => d.Totals.Taxes.Count > 0))
        {
            await using var copy = await connection.BeginBinaryImportAsync("""
                copy invoice_taxes (invoice_id, tenant_id, position, name, percent, inclusive, taxable_amount, amount) from stdin (format binary)
                """, cancellationToken);
            foreach (var d in drafts)
            {
                for (var position = 0; position < d.Totals.Taxes.Count; position++)
                {
                    var tax = d.Totals.Taxes[position];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(d.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(d.TenantId, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(position + 1, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(tax.Name, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(tax.Percent, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(tax.Inclusive, NpgsqlDbType.Boolean, cancellationToken);
                    await copy.WriteAsync(tax.TaxableAmount, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(tax.Amount, NpgsqlDbType.Numeric, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }

        var credited = drafts.Where(d => d.CreditApplied > 0).ToList();
        if (credited.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into allocations (id, tenant_id, account_id, invoice_id, source, amount)
                select gen_random_uuid(), @TenantId, u.account_id, u.invoice_id, 'credit', u.amount
                from unnest(@Accounts, @Invoices, @Amounts) as u(account_id, invoice_id, amount)
                """, new
            {
                tenant.TenantId,
                Accounts = credited.Select(d => d.AccountId).ToArray(),
                Invoices = credited.Select(d => d.Id).ToArray(),
                Amounts = credited.Select(d => d.CreditApplied).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        }
        var balances = drafts.Where(d => d.CreditApplied > 0 || d.CreditAdded > 0).ToList();
        if (balances.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update billing_accounts a set credit_balance = a.credit_balance + u.delta, updated_at = now()
                from unnest(@Accounts, @Deltas) as u(id, delta) where a.id = u.id and a.tenant_id = @TenantId
                """, new
            {
                tenant.TenantId,
                Accounts = balances.Select(d => d.AccountId).ToArray(),
                Deltas = balances.Select(d => d.CreditAdded - d.CreditApplied).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        }
        var charges = drafts.SelectMany(d => d.Lines.Where(l => l.PendingChargeId is not null).Select(l => (Charge: l.PendingChargeId!.Value, Invoice: d.Id))).ToList();
        if (charges.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update pending_charges c set invoice_id = u.invoice_id from unnest(@Charges, @Invoices) as u(id, invoice_id)
                where c.id = u.id and c.tenant_id = @TenantId and c.invoice_id is null
                """, new { tenant.TenantId, Charges = charges.Select(c => c.Charge).ToArray(), Invoices = charges.Select(c => c.Invoice).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }
        var recurring = drafts.SelectMany(d => d.Lines.Where(l => l.Kind == "recurring" && l.SubscriptionId is not null)).ToList();
        if (recurring.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update subscriptions s set billed_through = u.through, updated_at = now() from unnest(@Subscriptions, @Through) as u(id, through)
                where s.id = u.id and s.tenant_id = @TenantId
                """, new
            {
                tenant.TenantId,
                Subscriptions = recurring.Select(l => l.SubscriptionId!.Value).ToArray(),
                Through = recurring.Select(l => l.PeriodEnd!.Value).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        }
        await TenantBilling.TakeInvoiceNumbersAsync(connection, transaction, tenant.TenantId, drafts.Count, cancellationToken);

        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            await publish.Publish(new InvoiceIssued(d.TenantId, d.Id, d.AccountId, d.CustomerId, TenantBilling.InvoiceNumber(numbers[i]), d.Totals.Total, d.AmountDue,
                d.Currency, dueAt, now), cancellationToken);
            BillingMetrics.InvoicesIssued.Add(1, new KeyValuePair<string, object?>("currency", d.Currency));
        }
    }

    static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
