using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.AppHost.Telemetry;

public sealed record TelemetryStats(
    long SpansHeld, long SpansReceived, long SpansDropped, int SpanCapacity, int Traces,
    long LogsHeld, long LogsReceived, long LogsDropped, int LogCapacity,
    int MetricSeries, long MetricPoints, long MetricSeriesRefused, int SeriesCapacity, IReadOnlyList<string> Services);

public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<SpanRecord> Spans, IReadOnlyList<LogRecordView> Logs);

/// <summary>What the dashboard's traces, logs and metrics pages read (JSON, loopback only like the rest of it).</summary>
public static class TelemetryApi
{
    public static void MapTelemetryApi(this WebApplication app)
    {
        var stores = app.Services.GetRequiredService<TelemetryStores>();
        var api = app.MapGroup("/api/telemetry");

        api.MapGet("/stats", () =>
        {
            var (spansHeld, spansReceived, spansDropped, traces) = stores.Traces.Counts();
            var (logsHeld, logsReceived, logsDropped) = stores.Logs.Counts();
            var (series, points, refused) = stores.Metrics.Counts();
            return TypedResults.Ok(new TelemetryStats(spansHeld, spansReceived, spansDropped, stores.Limits.MaxSpans, traces,
                logsHeld, logsReceived, logsDropped, stores.Limits.MaxLogs, series, points, refused, stores.Limits.MaxSeries, stores.Services));
        });

        api.MapGet("/traces", (string? service, string? name, string? status, double? minDurationMs, string? traceId, string? q, int? limit) =>
            TypedResults.Ok(stores.Traces.Find(new TraceQuery(service, name, status, minDurationMs, traceId, q, limit ?? 100))));

        api.MapGet("/traces/{traceId}", Results<Ok<TraceDetail>, ProblemHttpResult> (string traceId) =>
        {
            var spans = stores.Traces.Trace(traceId);
            if (spans is null || spans.Count == 0)
            {
                return TypedResults.Problem($"No trace {traceId} is held (never received, or dropped as the oldest).",
                    statusCode: 404, title: "Trace not found");
            }
            var logs = stores.Logs.Find(new LogQuery(TraceId: traceId, Limit: 2000)).OrderBy(l => l.TimeUnixNano).ToList();
            return TypedResults.Ok(new TraceDetail(TraceStore.Summarise(spans), spans, logs));
        });

        api.MapGet("/logs", Results<Ok<IReadOnlyList<LogRecordView>>, ProblemHttpResult> (string? service, string? level, string? q, string? traceId, string? spanId, long? after, int? limit) =>
        {
            if (level is { Length: > 0 } && level is not ("Trace" or "Debug" or "Information" or "Warning" or "Error" or "Critical"))
                return TypedResults.Problem("level is one of Trace, Debug, Information, Warning, Error, Critical.", statusCode: 400, title: "Bad request");
            return TypedResults.Ok(stores.Logs.Find(new LogQuery(service, level, q, traceId, spanId, after, limit ?? 200)));
        });

        api.MapGet("/metrics", () => TypedResults.Ok(stores.Metrics.Instruments()));

        api.MapGet("/metrics/chart", Results<Ok<MetricChart>, ProblemHttpResult> (string name, string? service, string? by, int? minutes) =>
        {
            var window = TimeSpan.FromMinutes(Math.Clamp(minutes ?? 15, 1, 24 * 60));
            return stores.Metrics.Chart(name, service, by, window) is { } chart
                ? TypedResults.Ok(chart)
                : TypedResults.Problem($"No instrument '{name}'{(service is null ? "" : $" from {service}")} has reported.", statusCode: 404, title: "Metric not found");
        });
    }
}
