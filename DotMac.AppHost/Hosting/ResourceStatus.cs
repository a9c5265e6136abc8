namespace DotMac.AppHost.Hosting;

public enum ResourceState { Waiting, Starting, Running, Healthy, Unhealthy, Crashed, Restarting, Stopping, Stopped, Failed }

/// <summary>What the dashboard and the console show of one resource; updated by the orchestrator.</summary>
public sealed class ResourceStatus(string name, string kind)
{
    const int LogCapacity = 300;
    readonly Queue<LogLine> _logs = new();
    readonly Lock _lock = new();

    public string Name { get; } = name;
    public string Kind { get; } = kind;
    public ResourceState State { get; private set; } = ResourceState.Waiting;
    public string? Detail { get; private set; }
    public string? Url { get; set; }
    public int? Pid { get; set; }
    public int Restarts { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? HealthyAt { get; set; }

    /// <summary>Completes the first time the resource is healthy: what WaitFor waits on.</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(ResourceState state, string? detail = null)
    {
        lock (_lock)
        {
            State = state;
            Detail = detail;
        }
        if (state == ResourceState.Healthy)
        {
            HealthyAt ??= DateTimeOffset.UtcNow;
            Ready.TrySetResult();
        }
    }

    public void Log(string line, bool error)
    {
        lock (_lock)
        {
            _logs.Enqueue(new LogLine(DateTimeOffset.UtcNow, line, error));
            while (_logs.Count > LogCapacity)
                _logs.Dequeue();
        }
    }

    public IReadOnlyList<LogLine> RecentLogs(int count)
    {
        lock (_lock)
            return _logs.Skip(Math.Max(0, _logs.Count - count)).ToList();
    }

    public ResourceSnapshot Snapshot()
    {
        lock (_lock)
            return new ResourceSnapshot(Name, Kind, State.ToString(), Detail, Url, Pid, Restarts, StartedAt,
                StartedAt is null ? null : Math.Round((DateTimeOffset.UtcNow - StartedAt.Value).TotalSeconds));
    }
}

public sealed record LogLine(DateTimeOffset At, string Text, bool Error);

public sealed record ResourceSnapshot(string Name, string Kind, string State, string? Detail, string? Url, int? Pid,
    int Restarts, DateTimeOffset? StartedAt, double? UptimeSeconds);
