using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DotMac.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry wired by hand: the hosting and instrumentation packages do not restore here, so the providers are
/// built with the SDK builders, held as singletons (disposal flushes) and resolved once at start.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Activity sources every service listens to; services add their own through DotMacTelemetry.</summary>
    public static readonly string[] Sources =
        ["Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy", "MassTransit", "Npgsql", DotMacTelemetry.SourceName];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http", "System.Runtime", "MassTransit", "Npgsql", DotMacTelemetry.MeterName,
    ];

    public static IHostApplicationBuilder AddDefaultTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; o.UseUtcTimestamp = true; });
        else
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; });

        var otlp = OtlpSettings.From(builder.Configuration);
        if (otlp is null)
            return builder;

        builder.Services.AddSingleton(sp =>
        {
            var id = sp.GetRequiredService<ServiceIdentity>();
            return Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(Resource(id))
                .AddSource(Sources)
                .SetSampler(Sampler(builder.Configuration))
                .AddOtlpExporter(o => otlp.Apply(o, "traces"))
                .Build();
        });
        builder.Services.AddSingleton(sp =>
        {
            var id = sp.GetRequiredService<ServiceIdentity>();
            return Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(Resource(id))
                .AddMeter(Meters)
                .AddOtlpExporter((o, reader) =>
                {
                    otlp.Apply(o, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otlp.MetricIntervalMs;
                })
                .Build();
        });
        var identity = ServiceIdentity.Of(builder);
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            o.ParseStateValues = true;
            o.SetResourceBuilder(Resource(identity));
            o.AddOtlpExporter(e => otlp.Apply(e, "logs"));
        });
        builder.Services.AddHostedService<TelemetryStarter>();
        return builder;
    }

    /// <summary>
    /// OTEL_TRACES_SAMPLER as the specification names them (always_on, always_off, traceidratio, parentbased_always_on,
    /// parentbased_always_off, parentbased_traceidratio; OTEL_TRACES_SAMPLER_ARG the ratio); parentbased_always_on by
    /// default: every trace the gateway starts is recorded, and a service follows its caller's decision.
    /// </summary>
    static Sampler Sampler(IConfiguration configuration)
    {
        var ratio = double.TryParse(configuration["OTEL_TRACES_SAMPLER_ARG"], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r : 1.0;
        return configuration["OTEL_TRACES_SAMPLER"] switch
        {
            null or "" or "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            var other => throw new InvalidOperationException(
                $"OTEL_TRACES_SAMPLER '{other}' is not supported (always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)."),
        };
    }

    static ResourceBuilder Resource(ServiceIdentity id) =>
        ResourceBuilder.CreateDefault()
            .AddService(id.Name, serviceNamespace: "dotmac", serviceVersion: id.Version, serviceInstanceId: id.InstanceId)
            .AddAttributes([new("deployment.environment.name", id.Environment)]);

    /// <summary>The OTLP endpoint and protocol, read the way the OTEL_* variables are specified.</summary>
    sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers, int MetricIntervalMs)
    {
        public static OtlpSettings? From(IConfiguration configuration)
        {
            var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
            if (string.IsNullOrWhiteSpace(endpoint))
                return null;
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                throw new InvalidOperationException($"OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is not an absolute URI.");
            var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
            {
                null or "" or "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException($"OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported (grpc or http/protobuf)."),
            };
            var interval = int.TryParse(configuration["OTEL_METRIC_EXPORT_INTERVAL"], out var ms) && ms > 0 ? ms : 10_000;
            return new OtlpSettings(uri, protocol, configuration["OTEL_EXPORTER_OTLP_HEADERS"], interval);
        }

        // A programmatic endpoint is used as given, so the per-signal path of http/protobuf is ours to add.
        public void Apply(OtlpExporterOptions options, string signal)
        {
            options.Protocol = Protocol;
            options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(Endpoint, Endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal)
                : Endpoint;
            if (!string.IsNullOrEmpty(Headers))
                options.Headers = Headers;
        }
    }

    /// <summary>Resolves the providers once at start so listening begins before the first request.</summary>
    sealed class TelemetryStarter(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetService<TracerProvider>();
            if (services.GetService<MeterProvider>() is not null)
                DotMacTelemetry.Listening();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
