namespace DotMac.Events;

/// <summary>"Events" in configuration.</summary>
public sealed class EventsOptions
{
    public HistoryOptions History { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
}

public sealed class HistoryOptions
{
    /// <summary>Days a tenant's events are kept unless it has a retention of its own.</summary>
    public int DefaultRetentionDays { get; set; } = 400;

    /// <summary>How often partitions are made ahead and expired ones dropped.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Events recorded at once by one instance (RabbitMQ prefetch and handlers in flight); 0 keeps the fleet's default
    /// (DotMac:Messaging:PrefetchCount, 32). Each is a short transaction that mostly waits on PostgreSQL, so more in
    /// flight than the fleet's default pays here (measured: 0.31-0.37x plain MassTransit at 32, 0.39-0.46x at 128).
    /// Each holds one pooled connection: keep it under the pool's size (Maximum Pool Size, 100 by default).
    /// </summary>
    public int ConcurrentMessages { get; set; } = 64;

}

public sealed class WebhookOptions
{
    /// <summary>Whether this instance delivers webhooks (off: an instance that only records and answers the API).</summary>
    public bool Deliver { get; set; } = true;

    /// <summary>Each attempt's limit, connecting included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay; each next one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery is retried from its first attempt before it is given up (WebhookDeliveryFailed).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A subscription whose every attempt failed for this long is disabled, with the reason.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public TimeSpan PreviousSecretValidity { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Subscriptions delivered to at once by one instance; each is a sequence of its own, so a slow one holds only its own.</summary>
    public int MaxConcurrentSubscriptions { get; set; } = 64;

    /// <summary>Deliveries of one subscription read and confirmed together.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long an instance is taken for alive after its last heartbeat (sent every third of it). Its subscriptions are
    /// taken over by another instance this long after it died.
    /// </summary>
    public TimeSpan HeartbeatTtl { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Largest part of a partner's answer read (the rest is discarded).</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>Part of the answer kept with the attempt.</summary>
    public int ResponseExcerptChars { get; set; } = 1024;

    /// <summary>Only for a local fleet and tests: lets webhooks go to loopback (http too) in Development.</summary>
    public bool AllowLoopbackInDevelopment { get; set; } = true;
}
