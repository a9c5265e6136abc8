using System.Diagnostics.Metrics;
using System.Text.Json;
using DotMac.Messaging.TestHost;
using DotMac.Messaging.TestHost.Sagas;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.Messaging.Tests;

/// <summary>The PostgreSQL saga repository under concurrent events for one instance.</summary>
[TestFixture]
public sealed class When_50_events_hit_one_saga_at_once
{
    Scenario _scenario = null!;
    LocalApp _app = null!;

    [OneTimeSetUp]
    public async Task StartService()
    {
        _scenario = await Scenario.CreateAsync("saga");
        _app = await _scenario.StartInProcessAsync(new Dictionary<string, string?>
        {
            // Many messages in flight for one instance: the races this test is about.
            ["DotMac:Messaging:Outbox:ConsumerDeliveryLimit"] = "100",
        });
    }

    [OneTimeTearDown]
    public async Task DisposeScenario() => await _scenario.DisposeAsync();

    [Test]
    public async Task Should_lose_no_update()
    {
        var conflicts = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "dotmac.saga.conflicts") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref conflicts, value));
        listener.Start();

        var counter = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Scenario.PublishAsync(_app, new CounterIncremented(counter, i))));

        CounterState? state = null;
        await Scenario.EventuallyAsync(async () =>
        {
            state = await LoadAsync(counter);
            return state?.Increments == 50;
        }, TimeSpan.FromSeconds(60), () => Task.FromResult($"increments {state?.Increments}"));

        Assert.That(state!.Total, Is.EqualTo(50 * 51 / 2), "every amount added exactly once");
        Assert.That(state.CurrentState, Is.EqualTo(nameof(CounterStateMachine.Counting)));
        Assert.That(await _scenario.ScalarAsync<int>("select version from messaging.saga_instance where correlation_id = @counter", new { counter }),
            Is.EqualTo(50), "one version per event: none overwrote another");
        TestContext.Progress.WriteLine($"optimistic-concurrency conflicts retried: {Interlocked.Read(ref conflicts)}");
    }

    async Task<CounterState?> LoadAsync(Guid id)
    {
        var json = await _scenario.ScalarAsync<string?>("select coalesce((select data::text from messaging.saga_instance where correlation_id = @id), '')", new { id });
        return string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<CounterState>(json, JsonSerializerOptions.Web);
    }
}
