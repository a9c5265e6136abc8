namespace DotMac.AppHost.Telemetry;

/// <summary>What one trace looks like in the list.</summary>
public sealed record TraceSummary(
    string TraceId, string RootService, string RootName, long StartUnixNano, double DurationMs, string Status,
    int SpanCount, IReadOnlyList<string> Services);

public sealed record TraceQuery(string? Service = null, string? Name = null, string? Status = null, double? MinDurationMs = null,
    string? TraceId = null, string? Search = null, int Limit = 100);

/// <summary>
/// The spans received, at most <c>capacity</c>: the oldest span goes first when a new one arrives beyond it (counted as
/// dropped), so memory holds whatever the exporters send. Spans are grouped by trace as they arrive.
/// </summary>
public sealed class TraceStore(int capacity)
{
    readonly Lock _gate = new();
    readonly Queue<SpanRecord> _order = new();
    readonly Dictionary<string, List<SpanRecord>> _traces = new(StringComparer.Ordinal);
    long _received;
    long _dropped;

    public int Capacity => capacity;

    public (long Held, long Received, long Dropped, int Traces) Counts()
    {
        lock (_gate)
            return (_order.Count, _received, _dropped, _traces.Count);
    }

    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_gate)
        {
            foreach (var span in spans)
            {
                _order.Enqueue(span);
                if (!_traces.TryGetValue(span.TraceId, out var list))
                    _traces[span.TraceId] = list = [];
                list.Add(span);
                _received++;
                while (_order.Count > capacity)
                    Evict();
            }
        }
    }

    void Evict()
    {
        var old = _order.Dequeue();
        _dropped++;
        if (!_traces.TryGetValue(old.TraceId, out var list))
            return;
        var index = list.IndexOf(old); // the oldest of its trace, so nearly always the first
        if (index >= 0)
            list.RemoveAt(index);
        if (list.Count == 0)
            _traces.Remove(old.TraceId);
    }

    public IReadOnlyList<TraceSummary> Find(TraceQuery query)
    {
        List<SpanRecord[]> candidates;
        lock (_gate)
            candidates = [.. _traces.Values.Select(l => l.ToArray())];
        var search = Parse(query.Search);
        return candidates
            .Select(spans => (spans, summary: Summarise(spans)))
            .Where(t => Matches(t.summary, t.spans, query, search))
            .OrderByDescending(t => t.summary.StartUnixNano)
            .Take(Math.Clamp(query.Limit, 1, 1000))
            .Select(t => t.summary)
            .ToList();
    }

    public IReadOnlyList<SpanRecord>? Trace(string traceId)
    {
        lock (_gate)
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var list) ? [.. list.OrderBy(s => s.StartUnixNano)] : null;
    }

    /// <summary>The trace's root is the earliest span whose parent is not in it (a trace still arriving has several).</summary>
    public static TraceSummary Summarise(IReadOnlyList<SpanRecord> spans)
    {
        var ids = new HashSet<string>(spans.Select(s => s.SpanId), StringComparer.Ordinal);
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).MinBy(s => s.StartUnixNano) ?? spans[0];
        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        var services = spans.Select(s => s.Service).Distinct(StringComparer.Ordinal).ToList();
        // The root's own service first, then in order of appearance: gateway, services, networking, ...
        services.Remove(root.Service);
        services.Insert(0, root.Service);
        return new TraceSummary(root.TraceId, root.Service, root.Name, start, (end - start) / 1_000_000.0,
            spans.Any(s => s.Status == "error") ? "error" : "ok", spans.Count, services);
    }

    /// <summary>"key=value" matches an attribute exactly; any other text matches inside a name or an attribute's value.</summary>
    static (string? Key, string Value)? Parse(string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
            return null;
        var text = search.Trim();
        var equals = text.IndexOf('=');
        return equals > 0 ? (text[..equals].Trim(), text[(equals + 1)..].Trim()) : (null, text);
    }

    static bool Matches(TraceSummary summary, SpanRecord[] spans, TraceQuery query, (string? Key, string Value)? search)
    {
        if (!string.IsNullOrEmpty(query.TraceId) && !summary.TraceId.StartsWith(query.TraceId.Trim().ToLowerInvariant(), StringComparison.Ordinal))
            return false;
        if (!string.IsNullOrEmpty(query.Service) && !summary.Services.Contains(query.Service, StringComparer.OrdinalIgnoreCase))
            return false;
        if (!string.IsNullOrEmpty(query.Name) && !spans.Any(s => s.Name.Contains(query.Name, StringComparison.OrdinalIgnoreCase)))
            return false;
        if (query.Status is "error" or "ok" && summary.Status != query.Status)
            return false;
        if (query.MinDurationMs is { } min && summary.DurationMs < min)
            return false;
        if (search is { } s)
        {
            return s.Key is { } key
                ? spans.Any(span => span.Attributes.Any(a => a.Key == key && string.Equals(a.Value, s.Value, StringComparison.OrdinalIgnoreCase)))
                : spans.Any(span => span.Name.Contains(s.Value, StringComparison.OrdinalIgnoreCase)
                    || span.Attributes.Any(a => a.Value.Contains(s.Value, StringComparison.OrdinalIgnoreCase)));
        }
        return true;
    }
}
