namespace DotMac.Events.Webhooks;

/// <summary>A subscription an instance holds the lease of, with what it needs to sign.</summary>
internal sealed record SubscriptionLease(Guid Id, Guid TenantId, string Url, string Secret, string? PreviousSecret, DateTime? FailingSince)
{
    public IEnumerable<string> Secrets => PreviousSecret is null ? [Secret] : [Secret, PreviousSecret];
}

/// <summary>A queued delivery of one event to one subscription.</summary>
internal sealed record PendingDelivery(Guid Id, Guid TenantId, Guid MessageId, string EventType, DateTime OccurredAt, string Payload, int Attempts,
    bool Due, DateTime? FirstAttemptAt);

/// <summary>What one attempt came to.</summary>
internal sealed record AttemptResult(DateTimeOffset At, int? StatusCode, double LatencyMs, string? Error, string? ResponseExcerpt)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public string Describe() => Error ?? $"HTTP {StatusCode}";
}
