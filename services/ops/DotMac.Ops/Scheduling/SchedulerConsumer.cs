using Dapper;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Scheduling;

namespace DotMac.Ops.Scheduling;

/// <summary>
/// MassTransit's scheduling commands, stored durably. It runs through the inbox like every consumer, so a redelivered
/// command changes nothing twice, and the stored row commits with the "handled" mark.
/// </summary>
public sealed class SchedulerConsumer(DbSession session, SchedulerSignal signal) :
    IConsumer<ScheduleMessage>,
    IConsumer<CancelScheduledMessage>,
    IConsumer<ScheduleRecurringMessage>,
    IConsumer<CancelScheduledRecurringMessage>,
    IConsumer<PauseScheduledRecurringMessage>,
    IConsumer<ResumeScheduledRecurringMessage>
{
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var parsed = ScheduledEnvelope.FromScheduleCommand(context.ReceiveContext.Body.GetBytes());
        await ExecuteAsync(SchedulerSql.Schedule, new
        {
            TokenId = context.Message.CorrelationId,
            Destination = parsed.Destination.ToString(),
            parsed.Envelope,
            parsed.MessageTypes,
            DueAt = DateTime.SpecifyKind(context.Message.ScheduledTime, DateTimeKind.Utc),
            Origin = System.Diagnostics.Activity.Current?.Id,
        }, context.CancellationToken);
        signal.Notify();
    }

    public Task Consume(ConsumeContext<CancelScheduledMessage> context) =>
        ExecuteAsync(SchedulerSql.Cancel, new { tokenId = context.Message.TokenId }, context.CancellationToken);

    public async Task Consume(ConsumeContext<ScheduleRecurringMessage> context)
    {
        var schedule = context.Message.Schedule;
        var parsed = ScheduledEnvelope.FromScheduleCommand(context.ReceiveContext.Body.GetBytes());
        var cron = RecurringSchedules.Parse(schedule);
        var first = RecurringSchedules.Next(cron, schedule.StartTime.UtcDateTime > DateTime.UtcNow ? schedule.StartTime.UtcDateTime : DateTime.UtcNow, schedule.EndTime)
            ?? throw new InvalidOperationException($"Recurring schedule {schedule.ScheduleGroup}/{schedule.ScheduleId} never fires.");
        await ExecuteAsync(SchedulerSql.ScheduleRecurring, new
        {
            TokenId = context.Message.CorrelationId,
            schedule.ScheduleId,
            ScheduleGroup = schedule.ScheduleGroup ?? "",
            Destination = parsed.Destination.ToString(),
            parsed.Envelope,
            parsed.MessageTypes,
            DueAt = first,
            Cron = schedule.CronExpression,
            TimeZone = string.IsNullOrEmpty(schedule.TimeZoneId) ? "UTC" : schedule.TimeZoneId,
            EndAt = schedule.EndTime?.UtcDateTime,
            Origin = System.Diagnostics.Activity.Current?.Id,
        }, context.CancellationToken);
        signal.Notify();
    }

    public Task Consume(ConsumeContext<CancelScheduledRecurringMessage> context) =>
        ExecuteAsync(SchedulerSql.CancelRecurring, new { group = context.Message.ScheduleGroup ?? "", id = context.Message.ScheduleId }, context.CancellationToken);

    public Task Consume(ConsumeContext<PauseScheduledRecurringMessage> context) =>
        ExecuteAsync(SchedulerSql.SetPaused, new { group = context.Message.ScheduleGroup ?? "", id = context.Message.ScheduleId, paused = true }, context.CancellationToken);

    public async Task Consume(ConsumeContext<ResumeScheduledRecurringMessage> context)
    {
        await ExecuteAsync(SchedulerSql.SetPaused, new { group = context.Message.ScheduleGroup ?? "", id = context.Message.ScheduleId, paused = false }, context.CancellationToken);
        signal.Notify();
    }

    async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
    }
}
