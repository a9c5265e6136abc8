using System.Security.Cryptography;
using System.Text;
using Dapper;
using DotMac.Billing.Invoicing;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DotMac.Billing.Cycles;

/// <summary>
/// The billing-cycle saga (docs/billing.md). Its durable state is the billing_cycles row, one per tenant and period:
/// StartBillingCycleCommand opens it (a second start of the same period finds it, and resumes it if unfinished) and
/// sends InvoiceCycleBatch; its consumer runs the batches, each in one transaction that invoices and issues the next
/// accounts after the row's cursor and moves the cursor, until none is left: the cycle completes and
/// BillingCycleCompleted is published. A redelivered or repeated batch finds the cursor moved and does nothing; a subscription's period is charged at most
/// once (a unique index backs that up), so re-running a cycle, or killing billing halfway, invoices nobody twice.
/// </summary>
internal sealed class BillingCycle(DbSession session, IServiceScopeFactory scopes, TimeProvider clock, IOptions<BillingOptions> options, ILogger<BillingCycle> logger) :
    IConsumer<StartBillingCycleCommand>,
    IConsumer<InvoiceCycleBatch>
{
    /// <summary>One id per tenant and period, whoever starts it.</summary>
    public static Guid CycleId(Guid tenantId, DateOnly periodStart)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"billing-cycle:{tenantId:N}:{periodStart:yyyy-MM-dd}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a name-based id of our own
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public async Task Consume(ConsumeContext<StartBillingCycleCommand> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        var tenant = await TenantBilling.GetAsync(session.Connection, session.Transaction, m.TenantId, context.CancellationToken);
        var period = Proration.PeriodContaining(m.PeriodStart ?? tenant.LocalDate(clock.GetUtcNow()), tenant.BillingDay);
        var id = CycleId(m.TenantId, period.Start);
        var opened = await session.Connection.ExecuteAsync(new CommandDefinition(CycleSql.Open,
            new { Id = id, m.TenantId, PeriodStart = period.Start, PeriodEnd = period.End }, session.Transaction, cancellationToken: context.CancellationToken));
        if (opened == 0)
        {
            // Started before: an unfinished cycle is resumed from its cursor (its next batch may have been lost with a
            // dead process only if nothing was acknowledged, which the inbox rules out; sending it again is harmless).
            var cycle = await session.Connection.QuerySingleAsync<CycleRow>(new CommandDefinition(CycleSql.Get, new { m.TenantId, Id = id }, session.Transaction,
                cancellationToken: context.CancellationToken));
            if (cycle.Status == "invoicing")
                await context.Publish(new InvoiceCycleBatch(m.TenantId, id, cycle.Batches), context.CancellationToken);
        }
        else
        {
            await context.Publish(new InvoiceCycleBatch(m.TenantId, id, 0), context.CancellationToken);
        }
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>
    /// Runs the cycle from the batch the message names to the end, each batch its own transaction (its invoices and
    /// their events commit together). The message is acknowledged when the cycle is done; if the process dies, it is
    /// delivered again and the cycle goes on from its cursor. A second runner of the same cycle finds the batch already
    /// taken and stops.
    /// </summary>
    public async Task Consume(ConsumeContext<InvoiceCycleBatch> context)
    {
        var batch = context.Message.Batch;
        while (await RunBatchAsync(context.Message.TenantId, context.Message.CycleId, batch, context.CancellationToken))
            batch++;
    }

    /// <summary>One batch in its own unit of work; true if there is a next one for this runner.</summary>
    async Task<bool> RunBatchAsync(Guid tenantId, Guid cycleId, int batchNumber, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var m = new InvoiceCycleBatch(tenantId, cycleId, batchNumber);
        var transaction = await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        // The tenant's row first (every issuer of the tenant's numbers takes it in this order), then the cycle's.
        var tenant = await TenantBilling.LockAsync(connection, transaction, m.TenantId, cancellationToken);
        var cycle = await connection.QuerySingleOrDefaultAsync<CycleRow>(new CommandDefinition(CycleSql.Lock, new { Id = m.CycleId, m.TenantId }, transaction,
            cancellationToken: cancellationToken));
        if (cycle is null || cycle.Status != "invoicing" || cycle.Batches != m.Batch)
        {
            await session.CommitAsync(cancellationToken);
            return false;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var limit = options.Value.CycleBatchSize;
        var window = new
        {
            m.TenantId,
            Cursor = cycle.AccountCursor,
            cycle.PeriodStart,
            cycle.PeriodEnd,
            tenant.InvoiceSuspended,
            Limit = limit,
        };
        var accounts = (await connection.QueryAsync<CycleAccount>(new CommandDefinition(CycleSql.Accounts, window, transaction, cancellationToken: cancellationToken))).AsList();
        var drafts = new List<InvoiceDraft>(accounts.Count);
        var selected = watch.Elapsed;
        if (accounts.Count > 0)
        {
            var ids = accounts.Select(a => a.Id).ToArray();
            var batch = new { m.TenantId, Accounts = ids, cycle.PeriodStart, cycle.PeriodEnd, tenant.InvoiceSuspended };
            var subscriptions = (await connection.QueryAsync<BillableSubscription>(new CommandDefinition(CycleSql.Subscriptions, batch, transaction,
                cancellationToken: cancellationToken))).ToLookup(s => s.AccountId);
            var charges = (await connection.QueryAsync<PendingCharge>(new CommandDefinition(CycleSql.PendingCharges, batch, transaction,
                cancellationToken: cancellationToken))).ToLookup(c => c.AccountId);
            var taxes = tenant.Taxes();
            foreach (var account in accounts)
            {
                var currency = account.Currency?.Trim() ?? tenant.Currency?.Trim();
                if (currency is null)
                    continue; // nothing has ever said what this account bills in: its one-time charges wait
                var lines = new List<DraftLine>();
                foreach (var s in subscriptions[account.Id])
                {
                    var period = Proration.PeriodFrom(cycle.PeriodStart, Proration.Months(s.BillingPeriod));
                    lines.Add(new DraftLine("recurring", $"{s.PlanName}, {period}", Money.Round(s.Price, currency), s.Id, s.ServiceId, period.Start, period.End));
                }
                lines.AddRange(charges[account.Id].Select(c => c.ToLine()));
                if (lines.Count == 0)
                    continue;
                drafts.Add(InvoiceDraft.Compose(m.TenantId, account.Id, account.CustomerId, currency, lines, taxes, account.CreditBalance, cycle.Id,
                    cycle.PeriodStart, cycle.PeriodEnd));
            }
            var composed = watch.Elapsed;
            await InvoiceWriter.IssueAsync(connection, transaction, tenant, drafts, clock.GetUtcNow(), options.Value.DayLength, publish, cancellationToken);
            logger.LogInformation("Cycle {CycleId} batch {Batch}: {Invoices} invoices; accounts {Select:F0} ms, lines {Compose:F0} ms, issue {Issue:F0} ms",
                cycle.Id, m.Batch, drafts.Count, selected.TotalMilliseconds, (composed - selected).TotalMilliseconds, (watch.Elapsed - composed).TotalMilliseconds);
        }
        var done = accounts.Count < limit;
        await connection.ExecuteAsync(new CommandDefinition(CycleSql.Advance, new
        {
            Id = cycle.Id,
            Cursor = accounts.Count > 0 ? accounts[^1].Id : (Guid?)null,
            Invoices = drafts.Count,
            Done = done,
        }, transaction, cancellationToken: cancellationToken));
        if (done)
        {
            await publish.Publish(new BillingCycleCompleted(m.TenantId, cycle.Id, cycle.PeriodStart, cycle.PeriodEnd, cycle.Invoices + drafts.Count, clock.GetUtcNow()),
                cancellationToken);
            logger.LogInformation("Cycle {CycleId} of tenant {TenantId} ({PeriodStart}) completed: {Invoices} invoices", cycle.Id, m.TenantId, cycle.PeriodStart,
                cycle.Invoices + drafts.Count);
        }
        await session.CommitAsync(cancellationToken);
        return !done;
    }
}
