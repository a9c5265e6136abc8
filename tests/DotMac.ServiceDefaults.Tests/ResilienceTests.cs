using System.Net;
using DotMac.ServiceDefaults.Http;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;
using Polly.CircuitBreaker;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>Service-to-service calls against a real peer that fails on purpose.</summary>
[TestFixture]
public sealed class When_a_peer_service_fails
{
    public sealed class PeerClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    LocalApp _peer = null!;
    int _calls;
    int _failuresLeft;

    [OneTimeSetUp]
    public async Task StartPeer()
    {
        var app = LocalApp.CreateBuilder().Build();
        app.MapMethods("/work", ["GET", "POST"], () =>
        {
            Interlocked.Increment(ref _calls);
            return Interlocked.Decrement(ref _failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Ok("done");
        });
        _peer = await LocalApp.StartAsync(app);
    }

    [OneTimeTearDown]
    public async Task StopPeer() => await _peer.DisposeAsync();

    [SetUp]
    public void Reset() => _calls = 0;

    [Test]
    public async Task Should_retry_a_get_through_transient_failures()
    {
        _failuresLeft = 2;
        var client = Client();

        using var response = await client.Http.GetAsync("/work");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_calls, Is.EqualTo(3));
    }

    [Test]
    public async Task Should_not_repeat_a_post_without_an_idempotency_key()
    {
        _failuresLeft = 1;
        var client = Client();

        using var response = await client.Http.PostAsync("/work", new StringContent("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_repeat_a_post_that_carries_an_idempotency_key()
    {
        _failuresLeft = 1;
        var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/work") { Content = new StringContent("{}") };
        request.Headers.Add(ResilienceHandler.IdempotencyKeyHeader, Guid.NewGuid().ToString());

        using var response = await client.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Should_open_the_circuit_and_stop_calling_a_peer_that_keeps_failing()
    {
        _failuresLeft = int.MaxValue;
        var client = Client();

        for (var i = 0; i < 3; i++)
        {
            try
            {
                using var _ = await client.Http.GetAsync("/work");
            }
            catch (BrokenCircuitException)
            {
                break;
            }
        }
        var callsWhenOpen = _calls;

        Assert.ThrowsAsync<BrokenCircuitException>(() => client.Http.GetAsync("/work"));
        Assert.ThrowsAsync<BrokenCircuitException>(() => client.Http.PostAsync("/work", new StringContent("{}")), "a POST is not retried, but the breaker guards it too");
        Assert.That(_calls, Is.EqualTo(callsWhenOpen), "an open circuit does not reach the peer");
    }

    PeerClient Client()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:peer:http:0"] = _peer.Address.ToString(),
            ["DotMac:Http:Resilience:RetryBaseDelay"] = "00:00:00.010",
            ["DotMac:Http:Resilience:MaxRetryAttempts"] = "3",
            ["DotMac:Http:Resilience:BreakerMinimumThroughput"] = "4",
            ["DotMac:Http:Resilience:BreakerBreakDuration"] = "00:01:00",
        });
        builder.AddDefaultHttpClients();
        builder.AddServiceClient<PeerClient>("peer");
        return builder.Build().Services.GetRequiredService<PeerClient>();
    }
}
