using Dapper;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DotMac.Billing.Dunning;

/// <summary>
/// Marks issued invoices past their due date overdue, a batch per transaction, each with its InvoiceOverdue in the
/// outbox (the dunning saga starts from it). Any number of billing instances may sweep: rows are claimed with
/// SKIP LOCKED and an invoice is marked once.
/// </summary>
internal sealed class OverdueSweep(IServiceScopeFactory scopes, IOptions<BillingOptions> options, TimeProvider clock, ILogger<OverdueSweep> logger) : BackgroundService
{
    const int BatchSize = 500;

    const string Mark = """
        with due as (
            select id from invoices where status in ('issued', 'partially_paid') and due_at <= @Now
            order by due_at limit @Limit for update skip locked)
        update invoices i set status = 'overdue', dunning_stage = 'overdue', updated_at = now()
        from due where i.id = due.id
        returning i.id, i.tenant_id, i.customer_id, i.number, i.total - i.amount_paid - i.amount_credited as amount_due, i.currency, i.due_at
        """;

    sealed class Marked
    {
        public Guid Id { get; init; }
        public Guid TenantId { get; init; }
        public Guid CustomerId { get; init; }
        public string Number { get; init; } = "";
        public decimal AmountDue { get; init; }
        public string Currency { get; init; } = "";
        public DateTime DueAt { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OverdueSweepInterval, clock);
        do
        {
            try
            {
                while (await SweepAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "The overdue sweep failed; it runs again in {Interval}", options.Value.OverdueSweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var now = clock.GetUtcNow();
        await session.BeginAsync(cancellationToken);
        var marked = (await session.Connection.QueryAsync<Marked>(new CommandDefinition(Mark, new { Now = now, Limit = BatchSize }, session.Transaction,
            cancellationToken: cancellationToken))).AsList();
        foreach (var m in marked)
        {
            await publish.Publish(new InvoiceOverdue(m.TenantId, m.Id, m.CustomerId, m.Number, m.AmountDue, m.Currency.Trim(), Times.Utc(m.DueAt), now),
                cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        if (marked.Count > 0)
            logger.LogInformation("{Count} invoices became overdue", marked.Count);
        return marked.Count;
    }
}
