namespace DotMac.Ops.DeadLetters;

/// <summary>One queue's dead letters at a glance.</summary>
public sealed class DeadLetterQueue
{
    public string Queue { get; init; } = "";
    public long Count { get; init; }
    public DateTime Oldest { get; init; }
    public DateTime Newest { get; init; }
}
