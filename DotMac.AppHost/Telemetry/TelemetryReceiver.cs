using System.IO.Compression;
using DotMac.AppHost.Telemetry.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DotMac.AppHost.Telemetry;

/// <summary>The caps of what the dashboard holds in memory ("Telemetry:*" in the AppHost's configuration).</summary>
public sealed record TelemetryLimits(int MaxSpans = 50_000, int MaxLogs = 50_000, int MaxSeries = 5_000, int PointsPerSeries = 720)
{
    public static TelemetryLimits From(IConfiguration configuration)
    {
        var defaults = new TelemetryLimits();
        int Read(string key, int fallback) => int.TryParse(configuration[$"Telemetry:{key}"], out var v) && v > 0 ? v : fallback;
        return new TelemetryLimits(Read(nameof(MaxSpans), defaults.MaxSpans), Read(nameof(MaxLogs), defaults.MaxLogs),
            Read(nameof(MaxSeries), defaults.MaxSeries), Read(nameof(PointsPerSeries), defaults.PointsPerSeries));
    }
}

/// <summary>Everything the fleet's exporters sent, bounded.</summary>
public sealed class TelemetryStores(TelemetryLimits limits)
{
    public TelemetryLimits Limits { get; } = limits;
    public TraceStore Traces { get; } = new(limits.MaxSpans);
    public LogStore Logs { get; } = new(limits.MaxLogs);
    public MetricStore Metrics { get; } = new(limits.MaxSeries, limits.PointsPerSeries);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _services = new(StringComparer.Ordinal);

    /// <summary>Every service that has sent anything, in name order.</summary>
    public IReadOnlyList<string> Services => [.. _services.Keys.Order(StringComparer.Ordinal)];

    internal void Heard(string service) => _services.TryAdd(service, 0);

    internal void Add(ExportTraceServiceRequest request)
    {
        foreach (var r in request.ResourceSpans)
            Heard(Otlp.ServiceName(r.Resource));
        Traces.Add(Otlp.Spans(request.ResourceSpans));
    }

    internal void Add(ExportLogsServiceRequest request)
    {
        foreach (var r in request.ResourceLogs)
            Heard(Otlp.ServiceName(r.Resource));
        Logs.Add(Otlp.Logs(request.ResourceLogs));
    }

    internal void Add(ExportMetricsServiceRequest request)
    {
        foreach (var r in request.ResourceMetrics)
            Heard(Otlp.ServiceName(r.Resource));
        Metrics.Add(request.ResourceMetrics);
    }
}

/// <summary>
/// OTLP in: gRPC (the exporters' default, HTTP/2 on its own port) and HTTP/protobuf (POST /v1/traces, /v1/logs,
/// /v1/metrics, gzip or not) on another, both on loopback, as a collector or the Aspire dashboard would take them.
/// </summary>
public static class TelemetryReceiver
{
    const int MaxMessageBytes = 16 * 1024 * 1024;

    public static void Listen(KestrelServerOptions kestrel, int grpcPort, int httpPort)
    {
        kestrel.ListenLocalhost(grpcPort, o => o.Protocols = HttpProtocols.Http2);
        kestrel.ListenLocalhost(httpPort, o => o.Protocols = HttpProtocols.Http1AndHttp2);
        kestrel.Limits.MaxRequestBodySize = MaxMessageBytes;
    }

    public static IServiceCollection AddTelemetryReceiver(this IServiceCollection services, TelemetryStores stores)
    {
        services.AddSingleton(stores);
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
        return services;
    }

    public static void MapTelemetryReceiver(this WebApplication app, int grpcPort, int httpPort)
    {
        var grpc = $"*:{grpcPort}";
        app.MapGrpcService<TraceReceiver>().RequireHost(grpc);
        app.MapGrpcService<LogsReceiver>().RequireHost(grpc);
        app.MapGrpcService<MetricsReceiver>().RequireHost(grpc);

        var http = $"*:{httpPort}";
        var stores = app.Services.GetRequiredService<TelemetryStores>();
        app.MapPost("/v1/traces", (HttpRequest request) => ReceiveAsync(request, ExportTraceServiceRequest.Parser, r =>
        {
            stores.Add(r);
            return new ExportTraceServiceResponse();
        })).RequireHost(http);
        app.MapPost("/v1/logs", (HttpRequest request) => ReceiveAsync(request, ExportLogsServiceRequest.Parser, r =>
        {
            stores.Add(r);
            return new ExportLogsServiceResponse();
        })).RequireHost(http);
        app.MapPost("/v1/metrics", (HttpRequest request) => ReceiveAsync(request, ExportMetricsServiceRequest.Parser, r =>
        {
            stores.Add(r);
            return new ExportMetricsServiceResponse();
        })).RequireHost(http);
    }

    static async Task<IResult> ReceiveAsync<TRequest>(HttpRequest request, MessageParser<TRequest> parser, Func<TRequest, IMessage> handle)
        where TRequest : IMessage<TRequest>
    {
        var type = request.ContentType ?? "";
        if (!type.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"Send OTLP as application/x-protobuf (got '{type}'); OTLP/JSON is not read here.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return TypedResults.Problem($"Content-Encoding '{encoding}' is not read here (gzip or none).",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var body = new MemoryStream();
        await using (var source = encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body)
            await source.CopyToAsync(body, request.HttpContext.RequestAborted);
        TRequest message;
        try
        {
            message = parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            return TypedResults.Problem($"Not an OTLP message: {ex.Message}", statusCode: 400, title: "Bad request");
        }
        var response = handle(message);
        return Results.Bytes(response.ToByteArray(), "application/x-protobuf");
    }

    sealed class TraceReceiver(TelemetryStores stores) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            stores.Add(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    sealed class LogsReceiver(TelemetryStores stores) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            stores.Add(request);
            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }

    sealed class MetricsReceiver(TelemetryStores stores) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            stores.Add(request);
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
