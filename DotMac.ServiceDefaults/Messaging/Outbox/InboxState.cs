namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>A row of messaging.inbox_state as the inbox locked it.</summary>
internal sealed record InboxState(int ReceiveCount, DateTime? Consumed, DateTime? Delivered, long? LastSequenceNumber);
