namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>A row of messaging.inbox_state as the inbox locked it.</summary>
internal sealed record InboxState(bool IsNew, int ReceiveCount, DateTime? Consumed, DateTime? Delivered, long? LastSequenceNumber)
{
    /// <summary>What MassTransit's outbox pipe must see: a new row is written pre-marked, but nothing happened yet.</summary>
    public bool WasConsumed => !IsNew && Consumed.HasValue;

    public bool WasDelivered => !IsNew && Delivered.HasValue;
}
