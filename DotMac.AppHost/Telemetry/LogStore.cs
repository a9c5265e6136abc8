namespace DotMac.AppHost.Telemetry;

public sealed record LogQuery(string? Service = null, string? MinLevel = null, string? Search = null, string? TraceId = null,
    string? SpanId = null, long? After = null, int Limit = 200);

/// <summary>
/// The structured log records received, at most <c>capacity</c> (oldest dropped first, counted), each numbered in order
/// of arrival so a page can ask for what came after the last one it has.
/// </summary>
public sealed class LogStore(int capacity)
{
    static readonly string[] Levels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    readonly Lock _gate = new();
    readonly Queue<LogRecordView> _records = new();
    long _sequence;
    long _dropped;

    public int Capacity => capacity;

    public (long Held, long Received, long Dropped) Counts()
    {
        lock (_gate)
            return (_records.Count, _sequence, _dropped);
    }

    public void Add(IEnumerable<LogRecordView> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                _records.Enqueue(record with { Sequence = ++_sequence });
                while (_records.Count > capacity)
                {
                    _records.Dequeue();
                    _dropped++;
                }
            }
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<LogRecordView> Find(LogQuery query)
    {
        LogRecordView[] all;
        lock (_gate)
            all = [.. _records];
        var minimum = query.MinLevel is { Length: > 0 } level ? Array.FindIndex(Levels, l => l.Equals(level, StringComparison.OrdinalIgnoreCase)) : -1;
        var trace = query.TraceId?.Trim().ToLowerInvariant();
        var span = query.SpanId?.Trim().ToLowerInvariant();
        var result = new List<LogRecordView>();
        for (var i = all.Length - 1; i >= 0 && result.Count < Math.Clamp(query.Limit, 1, 2000); i--)
        {
            var r = all[i];
            if (query.After is { } after && r.Sequence <= after)
                break;
            if (!string.IsNullOrEmpty(query.Service) && !r.Service.Equals(query.Service, StringComparison.OrdinalIgnoreCase))
                continue;
            if (minimum > 0 && Array.IndexOf(Levels, r.Level) < minimum)
                continue;
            if (!string.IsNullOrEmpty(trace) && r.TraceId != trace)
                continue;
            if (!string.IsNullOrEmpty(span) && r.SpanId != span)
                continue;
            if (!string.IsNullOrWhiteSpace(query.Search) && !Contains(r, query.Search.Trim()))
                continue;
            result.Add(r);
        }
        return result;
    }

    static bool Contains(LogRecordView record, string text) =>
        record.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || record.Category.Contains(text, StringComparison.OrdinalIgnoreCase)
        || record.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
}
