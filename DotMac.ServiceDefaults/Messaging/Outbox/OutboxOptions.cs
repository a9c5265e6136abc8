namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>"DotMac:Messaging:Outbox" in configuration.</summary>
public sealed class OutboxOptions
{
    /// <summary>Off only for tests that must see rows stay in the outbox (a process "killed" before dispatch).</summary>
    public bool DispatchEnabled { get; set; } = true;

    /// <summary>Rows claimed and sent per transaction; sends in a batch are in flight together (publisher confirms).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Dispatch loops per instance, each sending its own batch.</summary>
    public int DispatchLoops { get; set; } = 2;

    /// <summary>The fallback when no NOTIFY arrives: how often the dispatcher looks anyway.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one send may wait for the broker's confirmation before the row is left for the next round.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long handled message ids are remembered for duplicate detection.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A consumer's outgoing messages delivered per inbox transaction.</summary>
    public int ConsumerDeliveryLimit { get; set; } = 100;
}
