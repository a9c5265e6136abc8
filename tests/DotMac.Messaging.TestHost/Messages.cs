namespace DotMac.Messaging.TestHost;

public sealed record WidgetCreated(Guid WidgetId, Guid Batch);

public sealed record CounterIncremented(Guid CounterId, int Amount);

public sealed record ReminderRequested(Guid ReminderId, int DelayMilliseconds);

public sealed record ReminderCancelled(Guid ReminderId);

public sealed record ReminderDue(Guid ReminderId);

public sealed record ReminderFired(Guid ReminderId);

public sealed record PoisonPill(Guid Id);
