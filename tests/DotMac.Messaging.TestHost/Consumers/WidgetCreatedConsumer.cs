using DotMac.ServiceDefaults.Data;
using MassTransit;

namespace DotMac.Messaging.TestHost.Consumers;

/// <summary>Records one effect per widget; run twice for one message, it would record two.</summary>
public sealed class WidgetCreatedConsumer(DbSession session) : IConsumer<WidgetCreated>
{
    public Task Consume(ConsumeContext<WidgetCreated> context) => EffectLog.RecordAsync(session, "widget", context.Message.WidgetId, context);
}
