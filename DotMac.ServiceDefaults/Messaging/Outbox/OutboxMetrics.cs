using System.Diagnostics.Metrics;
using DotMac.ServiceDefaults.Telemetry;

namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>The messaging plumbing's own instruments, on the "DotMac" meter.</summary>
public static class OutboxMetrics
{
    public static readonly Counter<long> Written = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.outbox.written", "{message}", "Messages written to the bus outbox");

    public static readonly Counter<long> Dispatched = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.outbox.dispatched", "{message}", "Bus-outbox messages delivered to the broker");

    public static readonly Histogram<double> Lag = DotMacTelemetry.Meter.CreateHistogram<double>(
        "dotmac.outbox.lag", "s", "Time from commit to broker confirmation of a bus-outbox message");

    public static readonly Counter<long> DispatchFailures = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.outbox.dispatch_failures", "{message}", "Bus-outbox sends the broker did not confirm (retried)");

    public static readonly Counter<long> InboxDuplicates = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.inbox.duplicates", "{message}", "Redelivered messages the inbox recognised as already consumed");

    public static readonly Counter<long> InboxConsumed = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.inbox.consumed", "{message}", "Messages consumed through the inbox");

    public static readonly Counter<long> SagaConflicts = DotMacTelemetry.Meter.CreateCounter<long>(
        "dotmac.saga.conflicts", "{conflict}", "Saga updates that lost an optimistic-concurrency race and were retried");
}
