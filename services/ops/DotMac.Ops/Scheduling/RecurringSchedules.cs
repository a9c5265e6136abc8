using MassTransit.Scheduling;
using Quartz;

namespace DotMac.Ops.Scheduling;

/// <summary>Cron arithmetic for recurring schedules: Quartz's cron dialect, which MassTransit's RecurringSchedule uses.</summary>
public static class RecurringSchedules
{
    public static CronExpression Parse(RecurringSchedule schedule) => Parse(schedule.CronExpression, schedule.TimeZoneId);

    public static CronExpression Parse(string cron, string? timeZoneId) =>
        new(cron, string.IsNullOrEmpty(timeZoneId) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    /// <summary>The first firing strictly after <paramref name="after"/> (UTC), or null past the end.</summary>
    public static DateTime? Next(CronExpression cron, DateTime after, DateTimeOffset? end)
    {
        var next = cron.GetNextValidTimeAfter(new DateTimeOffset(DateTime.SpecifyKind(after, DateTimeKind.Utc)));
        if (next is null || (end is { } limit && next > limit))
            return null;
        return next.Value.UtcDateTime;
    }
}
