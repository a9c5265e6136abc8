using DotMac.AppHost.Telemetry.Protocol;

namespace DotMac.AppHost.Telemetry;

public sealed record InstrumentView(string Service, string Name, string Unit, string Description, string Type, int Series, IReadOnlyList<string> Keys);

public sealed record ChartLine(string Label, IReadOnlyList<double[]> Points);

/// <summary>A chart of one instrument: for a histogram, the rate of recordings and the quantiles (p50/p95/p99) per interval.</summary>
public sealed record MetricChart(string Name, string Unit, string Type, string Description, IReadOnlyList<ChartLine> Lines,
    IReadOnlyList<ChartLine> Quantiles);

/// <summary>
/// Metric points per series (service, instrument, attribute set), each series a ring of its latest points, at most
/// <c>maxSeries</c> series (a new one beyond that is refused and counted). Counters become rates per second and
/// histograms rates and quantiles when charted.
/// </summary>
public sealed class MetricStore(int maxSeries, int pointsPerSeries)
{
    sealed record Point(long TimeUnixNano, long StartUnixNano, double Value, ulong Count, ulong[] Buckets);

    sealed class Series(string service, string name, Attr[] attributes)
    {
        public string Service { get; } = service;
        public string Name { get; } = name;
        public Attr[] Attributes { get; } = attributes;
        public string Unit { get; set; } = "";
        public string Description { get; set; } = "";
        public string Type { get; set; } = "gauge";
        public bool Cumulative { get; set; } = true;
        public double[] Bounds { get; set; } = [];
        public Queue<Point> Points { get; } = new();
    }

    readonly Lock _gate = new();
    readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    long _points;
    long _droppedSeries;

    public (int Series, long Points, long DroppedSeries) Counts()
    {
        lock (_gate)
            return (_series.Count, _points, _droppedSeries);
    }

    public void Add(IEnumerable<ResourceMetrics> resourceMetrics)
    {
        lock (_gate)
        {
            foreach (var resource in resourceMetrics)
            {
                var service = Otlp.ServiceName(resource.Resource);
                foreach (var scope in resource.ScopeMetrics)
                {
                    foreach (var metric in scope.Metrics)
                        Add(service, metric);
                }
            }
        }
    }

    void Add(string service, Metric metric)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                foreach (var p in metric.Gauge.DataPoints)
                    Record(service, metric, "gauge", true, [], p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano, Number(p), 0, []);
                break;
            case Metric.DataOneofCase.Sum:
                var type = metric.Sum.IsMonotonic ? "counter" : "updowncounter";
                var cumulative = metric.Sum.AggregationTemporality != AggregationTemporality.Delta;
                foreach (var p in metric.Sum.DataPoints)
                    Record(service, metric, type, cumulative, [], p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano, Number(p), 0, []);
                break;
            case Metric.DataOneofCase.Histogram:
                var histogramCumulative = metric.Histogram.AggregationTemporality != AggregationTemporality.Delta;
                foreach (var p in metric.Histogram.DataPoints)
                    Record(service, metric, "histogram", histogramCumulative, [.. p.ExplicitBounds], p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano,
                        p.HasSum ? p.Sum : 0, p.Count, [.. p.BucketCounts]);
                break;
        }
    }

    static double Number(NumberDataPoint p) => p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble;

    void Record(string service, Metric metric, string type, bool cumulative, double[] bounds,
        Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, ulong time, ulong start, double value, ulong count, ulong[] buckets)
    {
        var attrs = Otlp.Attributes(attributes);
        var key = $"{service}\u001e{metric.Name}\u001e{Otlp.Key(attrs)}";
        if (!_series.TryGetValue(key, out var series))
        {
            if (_series.Count >= maxSeries)
            {
                _droppedSeries++;
                return;
            }
            _series[key] = series = new Series(service, metric.Name, attrs);
        }
        series.Unit = metric.Unit;
        series.Description = metric.Description;
        series.Type = type;
        series.Cumulative = cumulative;
        series.Bounds = bounds;
        series.Points.Enqueue(new Point((long)time, (long)start, value, count, buckets));
        _points++;
        while (series.Points.Count > pointsPerSeries)
            series.Points.Dequeue();
    }

    public IReadOnlyList<InstrumentView> Instruments()
    {
        lock (_gate)
        {
            return _series.Values
                .GroupBy(s => (s.Service, s.Name))
                .Select(g => new InstrumentView(g.Key.Service, g.Key.Name, g.First().Unit, g.First().Description, g.First().Type, g.Count(),
                    [.. g.SelectMany(s => s.Attributes.Select(a => a.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
                .OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>
    /// One instrument as lines over time: summed over attribute sets, or one line per value of the attribute <paramref name="by"/>
    /// (at most 10, the largest); across services, one line per service. Points are [unix seconds, value].
    /// </summary>
    public MetricChart? Chart(string name, string? service, string? by, TimeSpan window)
    {
        List<(Series Series, Point[] Points)> matching;
        lock (_gate)
        {
            matching = [.. _series.Values
                .Where(s => s.Name == name && (string.IsNullOrEmpty(service) || s.Service.Equals(service, StringComparison.OrdinalIgnoreCase)))
                .Select(s => (s, s.Points.ToArray()))];
        }
        if (matching.Count == 0)
            return null;
        var first = matching[0].Series;
        var since = DateTimeOffset.UtcNow.Subtract(window).ToUnixTimeMilliseconds() * 1_000_000;
        string Group(Series s) =>
            !string.IsNullOrEmpty(by) ? s.Attributes.FirstOrDefault(a => a.Key == by)?.Value ?? "(none)"
            : string.IsNullOrEmpty(service) ? s.Service
            : name;
        var groups = matching.GroupBy(m => Group(m.Series)).ToList();
        var lines = new List<ChartLine>();
        var quantiles = new List<ChartLine>();
        foreach (var group in groups)
        {
            if (first.Type == "histogram")
            {
                var intervals = group.SelectMany(m => Intervals(m.Series, m.Points, since)).GroupBy(i => Second(i.Time)).OrderBy(g => g.Key).ToList();
                lines.Add(new ChartLine(group.Key, [.. intervals.Select(g => new[] { g.Key, g.Sum(i => i.Count) / Math.Max(g.Max(i => i.Seconds), 0.001) })]));
                if (groups.Count == 1 || !string.IsNullOrEmpty(by) || string.IsNullOrEmpty(service))
                {
                    foreach (var q in new[] { 0.5, 0.95, 0.99 })
                    {
                        var label = groups.Count == 1 ? $"p{q * 100:0}" : $"{group.Key} p{q * 100:0}";
                        if (groups.Count > 1 && q != 0.95)
                            continue; // several groups: p95 each, to stay readable
                        quantiles.Add(new ChartLine(label, [.. intervals
                            .Select(g => (g.Key, Quantile(g.ToList(), q)))
                            .Where(x => x.Item2 is not null)
                            .Select(x => new[] { x.Key, x.Item2!.Value })]));
                    }
                }
            }
            else if (first.Type == "counter")
            {
                var rates = group.SelectMany(m => Rates(m.Series, m.Points, since)).GroupBy(r => Second(r.Time)).OrderBy(g => g.Key);
                lines.Add(new ChartLine(group.Key, [.. rates.Select(g => new[] { g.Key, g.Sum(r => r.Rate) })]));
            }
            else
            {
                var values = group.SelectMany(m => m.Points.Where(p => p.TimeUnixNano >= since)).GroupBy(p => Second(p.TimeUnixNano)).OrderBy(g => g.Key);
                lines.Add(new ChartLine(group.Key, [.. values.Select(g => new[] { g.Key, g.Sum(p => p.Value) })]));
            }
        }
        var top = lines.OrderByDescending(l => l.Points.Sum(p => p[1])).Take(10).ToList();
        return new MetricChart(name, first.Unit, first.Type, first.Description, top, quantiles.Take(10).ToList());
    }

    static double Second(long unixNano) => Math.Round(unixNano / 1_000_000_000.0);

    static IEnumerable<(long Time, double Rate)> Rates(Series series, Point[] points, long since)
    {
        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            if (p.TimeUnixNano < since)
                continue;
            if (!series.Cumulative)
            {
                var seconds = Math.Max((p.TimeUnixNano - p.StartUnixNano) / 1e9, 0.001);
                yield return (p.TimeUnixNano, p.Value / seconds);
            }
            else if (i > 0)
            {
                var previous = points[i - 1];
                var seconds = Math.Max((p.TimeUnixNano - previous.TimeUnixNano) / 1e9, 0.001);
                var delta = p.StartUnixNano == previous.StartUnixNano ? p.Value - previous.Value : p.Value; // a restart resets the sum
                yield return (p.TimeUnixNano, Math.Max(delta, 0) / seconds);
            }
        }
    }

    sealed record Interval(long Time, double Seconds, double Count, double[] Bounds, double[] Buckets);

    static IEnumerable<Interval> Intervals(Series series, Point[] points, long since)
    {
        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            if (p.TimeUnixNano < since)
                continue;
            if (!series.Cumulative)
            {
                yield return new Interval(p.TimeUnixNano, Math.Max((p.TimeUnixNano - p.StartUnixNano) / 1e9, 0.001), p.Count, series.Bounds,
                    [.. p.Buckets.Select(b => (double)b)]);
            }
            else if (i > 0)
            {
                var previous = points[i - 1];
                var restarted = p.StartUnixNano != previous.StartUnixNano || p.Count < previous.Count || p.Buckets.Length != previous.Buckets.Length;
                var buckets = restarted ? [.. p.Buckets.Select(b => (double)b)] : p.Buckets.Select((b, k) => (double)(b - previous.Buckets[k])).ToArray();
                yield return new Interval(p.TimeUnixNano, Math.Max((p.TimeUnixNano - previous.TimeUnixNano) / 1e9, 0.001),
                    restarted ? p.Count : p.Count - previous.Count, series.Bounds, buckets);
            }
        }
    }

    /// <summary>A quantile from explicit buckets, interpolated linearly inside the bucket it falls in (as Prometheus does).</summary>
    public static double? Quantile(IReadOnlyList<(double[] Bounds, double[] Buckets)> intervals, double q)
    {
        var bounds = intervals.FirstOrDefault(i => i.Bounds.Length > 0).Bounds;
        if (bounds is null)
            return null;
        var counts = new double[bounds.Length + 1];
        foreach (var interval in intervals.Where(i => i.Bounds.Length == bounds.Length && i.Buckets.Length == counts.Length))
        {
            for (var k = 0; k < counts.Length; k++)
                counts[k] += interval.Buckets[k];
        }
        var total = counts.Sum();
        if (total <= 0)
            return null;
        var rank = q * total;
        var seen = 0.0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (seen + counts[k] >= rank && counts[k] > 0)
            {
                var lower = k == 0 ? 0 : bounds[k - 1];
                var upper = k < bounds.Length ? bounds[k] : bounds[^1];
                return lower + (upper - lower) * ((rank - seen) / counts[k]);
            }
            seen += counts[k];
        }
        return bounds[^1];
    }

    static double? Quantile(List<Interval> intervals, double q) =>
        Quantile([.. intervals.Select(i => (i.Bounds, i.Buckets))], q);
}
