using System.Globalization;
using System.Text;
using DotMac.AppHost.Telemetry.Protocol;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace DotMac.AppHost.Telemetry;

/// <summary>One attribute as the dashboard shows it.</summary>
public sealed record Attr(string Key, string Value);

public sealed record SpanEventView(long TimeUnixNano, string Name, IReadOnlyList<Attr> Attributes);

public sealed record SpanLinkView(string TraceId, string SpanId, IReadOnlyList<Attr> Attributes);

/// <summary>A span as received, ids in lowercase hex.</summary>
public sealed record SpanRecord(
    string TraceId, string SpanId, string? ParentSpanId, string Service, string Scope, string Name, string Kind,
    long StartUnixNano, long EndUnixNano, string Status, string? StatusMessage,
    IReadOnlyList<Attr> Attributes, IReadOnlyList<SpanEventView> Events, IReadOnlyList<SpanLinkView> Links)
{
    public double DurationMs => (EndUnixNano - StartUnixNano) / 1_000_000.0;
}

/// <summary>A structured log record as received.</summary>
public sealed record LogRecordView(
    long Sequence, long TimeUnixNano, string Service, string Level, int Severity, string Category, string Message,
    IReadOnlyList<Attr> Attributes, string? TraceId, string? SpanId);

/// <summary>Reading OTLP's protobuf types into the dashboard's own.</summary>
public static class Otlp
{
    public static string Hex(ByteString bytes) => bytes.IsEmpty ? "" : Convert.ToHexStringLower(bytes.Span);

    public static string? HexOrNull(ByteString bytes) => bytes.IsEmpty || IsZero(bytes) ? null : Convert.ToHexStringLower(bytes.Span);

    static bool IsZero(ByteString bytes)
    {
        foreach (var b in bytes.Span)
        {
            if (b != 0)
                return false;
        }
        return true;
    }

    public static string Text(AnyValue? value) => value is null ? "" : value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };

    public static Attr[] Attributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
            return [];
        var result = new Attr[attributes.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new Attr(attributes[i].Key, Text(attributes[i].Value));
        return result;
    }

    public static string ServiceName(Resource? resource)
    {
        if (resource is not null)
        {
            foreach (var attribute in resource.Attributes)
            {
                if (attribute.Key == "service.name")
                    return Text(attribute.Value);
            }
        }
        return "unknown";
    }

    public static string Kind(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => "server",
        Span.Types.SpanKind.Client => "client",
        Span.Types.SpanKind.Producer => "producer",
        Span.Types.SpanKind.Consumer => "consumer",
        _ => "internal",
    };

    public static string Level(int severity) => severity switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "Information",
    };

    public static IEnumerable<SpanRecord> Spans(IEnumerable<ResourceSpans> resourceSpans)
    {
        foreach (var resource in resourceSpans)
        {
            var service = ServiceName(resource.Resource);
            foreach (var scope in resource.ScopeSpans)
            {
                var scopeName = scope.Scope?.Name ?? "";
                foreach (var span in scope.Spans)
                {
                    yield return new SpanRecord(
                        Hex(span.TraceId), Hex(span.SpanId), HexOrNull(span.ParentSpanId), service, scopeName, span.Name, Kind(span.Kind),
                        (long)span.StartTimeUnixNano, (long)Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano),
                        span.Status?.Code == Status.Types.StatusCode.Error ? "error" : span.Status?.Code == Status.Types.StatusCode.Ok ? "ok" : "unset",
                        string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
                        Attributes(span.Attributes),
                        span.Events.Count == 0 ? [] : [.. span.Events.Select(e => new SpanEventView((long)e.TimeUnixNano, e.Name, Attributes(e.Attributes)))],
                        span.Links.Count == 0 ? [] : [.. span.Links.Select(l => new SpanLinkView(Hex(l.TraceId), Hex(l.SpanId), Attributes(l.Attributes)))]);
                }
            }
        }
    }

    /// <summary>Log records without their sequence numbers (the store gives them).</summary>
    public static IEnumerable<LogRecordView> Logs(IEnumerable<ResourceLogs> resourceLogs)
    {
        foreach (var resource in resourceLogs)
        {
            var service = ServiceName(resource.Resource);
            foreach (var scope in resource.ScopeLogs)
            {
                var category = scope.Scope?.Name ?? "";
                foreach (var record in scope.LogRecords)
                {
                    var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                    // .NET's scopes repeat the record's own ids as attributes: shown once, as its trace and span.
                    var attributes = Attributes(record.Attributes);
                    if (attributes.Any(a => a.Key is "TraceId" or "SpanId" or "ParentId"))
                        attributes = [.. attributes.Where(a => a.Key is not ("TraceId" or "SpanId" or "ParentId"))];
                    var message = Text(record.Body);
                    if (message.Length == 0)
                        message = attributes.FirstOrDefault(a => a.Key == "{OriginalFormat}")?.Value ?? record.EventName;
                    yield return new LogRecordView(0, (long)time, service, Level(record.SeverityNumber), record.SeverityNumber, category, message,
                        attributes, HexOrNull(record.TraceId), HexOrNull(record.SpanId));
                }
            }
        }
    }

    /// <summary>A canonical key for an attribute set: the same set in any order gives the same series.</summary>
    public static string Key(Attr[] attributes)
    {
        if (attributes.Length == 0)
            return "";
        var sorted = attributes.OrderBy(a => a.Key, StringComparer.Ordinal);
        var builder = new StringBuilder();
        foreach (var a in sorted)
            builder.Append(a.Key).Append('=').Append(a.Value).Append('\u001f');
        return builder.ToString();
    }
}
