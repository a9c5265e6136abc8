using System.Collections.Concurrent;
using System.Text;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>Traces, metrics and logs leave over OTLP (http/protobuf) to a real receiver.</summary>
[TestFixture]
public sealed class When_telemetry_is_exported
{
    readonly ConcurrentDictionary<string, ConcurrentBag<byte[]>> _received = new();

    [Test]
    public async Task Should_export_a_named_and_tagged_request_span_metrics_and_logs()
    {
        var receiverApp = LocalApp.CreateBuilder().Build();
        receiverApp.MapPost("/otlp/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            _received.GetOrAdd(signal, _ => []).Add(buffer.ToArray());
            return Results.Ok();
        });
        await using var receiver = await LocalApp.StartAsync(receiverApp);

        var builder = LocalApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = new Uri(receiver.Address, "/otlp").ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "telemetry-probe",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["Logging:LogLevel:Default"] = "Information",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/api/v1/widgets/{id}", (string id, Microsoft.Extensions.Logging.ILogger<When_telemetry_is_exported> log) =>
        {
            log.LogWidgetRead(id);
            return Results.Ok(id);
        });
        await using (var service = await LocalApp.StartAsync(app))
        {
            using var response = await service.Client.GetAsync("/api/v1/widgets/42");
            Assert.That(response.IsSuccessStatusCode);
            await Task.Delay(1500); // one metric export interval
        } // disposal flushes the providers

        var traces = Text("traces");
        Assert.That(traces, Does.Contain("GET /api/v1/widgets/{id}"));
        Assert.That(traces, Does.Contain("http.route").And.Contain("http.response.status_code"));
        Assert.That(traces, Does.Contain("telemetry-probe"));
        Assert.That(Text("metrics"), Does.Contain("http.server.request.duration"));
        Assert.That(Text("logs"), Does.Contain("Widget 42 read"));
    }

    string Text(string signal) =>
        _received.TryGetValue(signal, out var bodies) ? string.Join('\n', bodies.Select(Encoding.UTF8.GetString)) : "";
}

static partial class TelemetryTestLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Widget {Id} read")]
    public static partial void LogWidgetRead(this Microsoft.Extensions.Logging.ILogger logger, string id);
}
