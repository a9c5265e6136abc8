namespace DotMac.ServiceDefaults.Data;

public enum MigrationStatus { Pending, Applying, Applied, Failed }

/// <summary>What the migrations runner has done so far; read by /health and /api/v1/info.</summary>
public sealed class MigrationState
{
    readonly Lock _lock = new();

    public MigrationStatus Status { get; private set; } = MigrationStatus.Pending;
    public int? AppliedVersion { get; private set; }
    public int PendingCount { get; private set; }
    public string? FailedScript { get; private set; }
    public string? Error { get; private set; }

    internal void Applying(int pending)
    {
        lock (_lock) { Status = MigrationStatus.Applying; PendingCount = pending; }
    }

    internal void Applied(int version)
    {
        lock (_lock) { AppliedVersion = version; PendingCount = Math.Max(0, PendingCount - 1); }
    }

    internal void Completed(int? version)
    {
        lock (_lock) { Status = MigrationStatus.Applied; AppliedVersion = version; PendingCount = 0; }
    }

    internal void Failed(string script, string error)
    {
        lock (_lock) { Status = MigrationStatus.Failed; FailedScript = script; Error = error; }
    }

    internal void Waiting(string error)
    {
        lock (_lock) { Error = error; }
    }
}
