namespace DotMac.Ops.DeadLetters;

/// <summary>A dead-lettered message as the API shows it (body and headers only in the single-item read).</summary>
public sealed class DeadLetter
{
    public Guid Id { get; init; }
    public string Queue { get; init; } = "";
    public string InputQueue { get; init; } = "";
    public Guid? MessageId { get; init; }
    public string[] MessageTypes { get; init; } = [];
    public string? ContentType { get; init; }
    public string? ExceptionType { get; init; }
    public string? Exception { get; init; }
    public DateTime? FaultedAt { get; init; }
    public DateTime CollectedAt { get; init; }
    public string Status { get; init; } = "";
    public DateTime? ResolvedAt { get; init; }
    public byte[]? Body { get; init; }
    public string? Headers { get; init; }
}
