using Dapper;
using DotMac.Billing.Invoicing;
using DotMac.Contracts.Billing;
using DotMac.Contracts.Platform;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Scheduling;

namespace DotMac.Billing.Tenants;

/// <summary>
/// Keeps billing's copy of each tenant's billing settings (the newest version wins; an older or repeated one changes
/// nothing) and the tenant's recurring billing cycle in ops's durable scheduler: at 00:00 of the billing day in the
/// tenant's time zone, StartBillingCycleCommand for the period that starts that day.
/// </summary>
internal sealed class TenantSettingsConsumer(DbSession session) : IConsumer<TenantBillingSettingsChanged>
{
    const string Upsert = """
        insert into tenant_billing (tenant_id, settings_version, currency, time_zone, billing_day, tax_rates, reminder_days, suspend_after_days, terminate_after_days)
        values (@TenantId, @SettingsVersion, @Currency, @TimeZone, @BillingDay, @TaxRates::jsonb, @ReminderDays, @SuspendAfterDays, @TerminateAfterDays)
        on conflict (tenant_id) do update set settings_version = excluded.settings_version, currency = excluded.currency, time_zone = excluded.time_zone,
            billing_day = excluded.billing_day, tax_rates = excluded.tax_rates, reminder_days = excluded.reminder_days,
            suspend_after_days = excluded.suspend_after_days, terminate_after_days = excluded.terminate_after_days, updated_at = now()
        where tenant_billing.settings_version < excluded.settings_version
        """;

    /// <summary>Where the recurring schedule delivers: the exchange of the message type, which the cycle saga's queue is bound to.</summary>
    public static readonly Uri CycleDestination = new($"exchange:{typeof(StartBillingCycleCommand).Namespace}:{nameof(StartBillingCycleCommand)}");

    public async Task Consume(ConsumeContext<TenantBillingSettingsChanged> context)
    {
        var m = context.Message;
        await session.BeginAsync(context.CancellationToken);
        var changed = await session.Connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            m.TenantId,
            m.SettingsVersion,
            m.Currency,
            m.TimeZone,
            m.BillingDay,
            TaxRates = TenantBillingRow.SerializeTaxes(m.TaxRates.Select(t => new TaxRate(t.Name, t.Percent, t.Inclusive))),
            ReminderDays = m.ReminderDays.ToArray(),
            m.SuspendAfterDays,
            m.TerminateAfterDays,
        }, session.Transaction, cancellationToken: context.CancellationToken));
        if (changed > 0)
        {
            var scheduler = await context.GetSendEndpoint(MessagingExtensions.SchedulerAddress);
            await scheduler.ScheduleRecurringSend(CycleDestination, new MonthlyCycle(m.TenantId, m.BillingDay, m.TimeZone),
                new StartBillingCycleCommand(m.TenantId, null), context.CancellationToken);
        }
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>Quartz cron: second 0, minute 0, hour 0 of the billing day of every month, in the tenant's zone.</summary>
    sealed class MonthlyCycle(Guid tenantId, int billingDay, string timeZone) : RecurringSchedule
    {
        public string TimeZoneId => timeZone;
        public DateTimeOffset StartTime => DateTimeOffset.UtcNow;
        public DateTimeOffset? EndTime => null;
        public string ScheduleId => $"billing-cycle-{tenantId:N}";
        public string ScheduleGroup => "billing";
        public string CronExpression => $"0 0 0 {billingDay} * ?";
        public string Description => $"Billing cycle of tenant {tenantId} on day {billingDay}";
        public MissedEventPolicy MisfirePolicy => MissedEventPolicy.Send;
    }
}
