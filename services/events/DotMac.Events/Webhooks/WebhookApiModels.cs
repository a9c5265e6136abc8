using DotMac.ServiceDefaults.Data;

namespace DotMac.Events.Webhooks;

public sealed record CreateSubscriptionRequest(string Url, string[] EventTypes, string? Description = null, bool? Active = null);

/// <summary>Only what is given changes; "active": true re-enables a disabled subscription.</summary>
public sealed record UpdateSubscriptionRequest(string? Url = null, string[]? EventTypes = null, string? Description = null, bool? Active = null);

public sealed record SubscriptionResponse(Guid Id, string Url, string? Description, string[] EventTypes, bool Active, string? DisabledReason,
    DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The only answers that carry the secret: at creation and at rotation. Keep it; it is not shown again.</summary>
public sealed record SubscriptionSecretResponse(SubscriptionResponse Subscription, string Secret);

public sealed record AttemptResponse(int Number, DateTimeOffset AttemptedAt, int? StatusCode, double LatencyMs, string? Error, string? ResponseExcerpt);

public sealed record DeliveryResponse(Guid Id, Guid SubscriptionId, Guid EventId, string EventType, DateTimeOffset OccurredAt, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? FirstAttemptAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? DeliveredAt, string? LastError, Guid? ReplayId,
    DateTimeOffset CreatedAt, IReadOnlyList<AttemptResponse>? AttemptLog = null);

public sealed record ReplayRequest(DateTimeOffset From, DateTimeOffset To);

public sealed record ReplayResponse(Guid ReplayId, int Queued);

// Properties, not a positional record: Dapper matches constructors by the column's declared type, which for text[] is System.Array.
internal sealed class SubscriptionRow
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public string Url { get; set; } = "";
    public string? Description { get; set; }
    public string[] EventTypes { get; set; } = [];
    public bool Active { get; set; }
    public string? DisabledReason { get; set; }
    public DateTime? FailingSince { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public SubscriptionResponse ToResponse() => new(Id, Url, Description, EventTypes, Active, DisabledReason, Times.Utc(FailingSince),
        PreviousSecretExpiresAt > DateTime.UtcNow ? Times.Utc(PreviousSecretExpiresAt) : null, Times.Utc(CreatedAt), Times.Utc(UpdatedAt));
}

internal sealed record DeliveryRow(Guid Id, Guid SubscriptionId, Guid MessageId, string EventType, DateTime OccurredAt, string Status, int Attempts,
    DateTime NextAttemptAt, DateTime? FirstAttemptAt, DateTime? LastAttemptAt, DateTime? DeliveredAt, string? LastError, Guid? ReplayId, DateTime CreatedAt)
{
    public DeliveryResponse ToResponse(IReadOnlyList<AttemptResponse>? attempts = null) => new(Id, SubscriptionId, MessageId, EventType,
        Times.Utc(OccurredAt), Status, Attempts, Status == "pending" ? Times.Utc(NextAttemptAt) : null, Times.Utc(FirstAttemptAt),
        Times.Utc(LastAttemptAt), Times.Utc(DeliveredAt), LastError, ReplayId, Times.Utc(CreatedAt), attempts);
}

internal sealed record AttemptRow(int Number, DateTime AttemptedAt, int? StatusCode, double LatencyMs, string? Error, string? ResponseExcerpt)
{
    public AttemptResponse ToResponse() => new(Number, Times.Utc(AttemptedAt), StatusCode, LatencyMs, Error, ResponseExcerpt);
}
