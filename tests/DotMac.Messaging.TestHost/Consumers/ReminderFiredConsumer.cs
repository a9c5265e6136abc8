using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost.Consumers;

/// <summary>What a saga published, seen from outside: one effect per ReminderFired.</summary>
public sealed class ReminderFiredConsumer(DbSession session) : IConsumer<ReminderFired>
{
    public Task Consume(ConsumeContext<ReminderFired> context) => EffectLog.RecordAsync(session, "reminder", context.Message.ReminderId, context);
}
