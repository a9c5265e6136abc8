using System.Diagnostics.Metrics;
using DotMac.Messaging.TestHost;
using DotMac.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Messaging.Tests;

/// <summary>The bus outbox: what an API handler committed is delivered, even if the process dies right after the commit.</summary>
[TestFixture]
public sealed class When_a_service_is_killed_right_after_a_commit
{
    Scenario _scenario = null!;

    [OneTimeSetUp]
    public async Task CreateScenario() => _scenario = await Scenario.CreateAsync("outbox_kill");

    [OneTimeTearDown]
    public async Task DisposeScenario() => await _scenario.DisposeAsync();

    [Test]
    public async Task Should_deliver_every_committed_event_after_the_restart()
    {
        // The first process never dispatches: every event it committed must survive its death in the outbox.
        var doomed = await _scenario.StartProcessAsync(new Dictionary<string, string?> { ["DotMac:Messaging:Outbox:DispatchEnabled"] = "false" });
        Assert.That(async () => await doomed.Client.PostAsync("/widgets?count=25&die=true", null), Throws.InstanceOf<HttpRequestException>(),
            "the handler kills its process after the commit, before answering");
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from widgets"), Is.EqualTo(25), "the change committed");
        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message"), Is.EqualTo(25), "and its events with it");
        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from effects"), Is.Zero);

        var restarted = await _scenario.StartProcessAsync();
        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<long>("select count(*) from effects") == 25, TimeSpan.FromSeconds(30),
            async () => $"{await _scenario.ScalarAsync<long>("select count(*) from effects")} effects\n{restarted.Tail()}");

        Assert.That(await _scenario.ScalarAsync<long>("select count(distinct subject) from effects where kind = 'widget'"), Is.EqualTo(25));
        Assert.That(await _scenario.ScalarAsync<long>(
            "select count(*) from widgets w where not exists (select 1 from effects e where e.subject = w.id)"), Is.Zero, "every widget's event arrived");
        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message"), Is.Zero, "and left the outbox");
        await restarted.DisposeAsync(); // its dispatcher would take part in the other tests of this class
    }

    [Test]
    public async Task Should_publish_nothing_of_a_rolled_back_transaction_and_everything_of_a_committed_one()
    {
        var app = await _scenario.StartInProcessAsync();
        var lost = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var session = scope.ServiceProvider.GetRequiredService<DbSession>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await session.BeginAsync();
            await publish.Publish(new WidgetCreated(lost, Guid.Empty));
            await session.RollbackAsync();
            await session.BeginAsync();
            await publish.Publish(new WidgetCreated(kept, Guid.Empty));
            await session.CommitAsync();
        }
        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<long>("select count(*) from effects where subject = @kept", new { kept }) == 1,
            TimeSpan.FromSeconds(15), () => Task.FromResult("the committed event's effect"));
        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from effects where subject = @lost", new { lost }), Is.Zero);
        // The consumer can finish before the dispatcher's delete commits: the row leaves the outbox a moment later.
        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message") == 0,
            TimeSpan.FromSeconds(10), () => Task.FromResult("an empty outbox"));
    }

    [Test]
    public async Task Should_send_each_event_once_when_several_instances_dispatch()
    {
        long dispatched = 0, duplicates = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name is "dotmac.outbox.dispatched" or "dotmac.inbox.duplicates")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref instrument.Name == "dotmac.outbox.dispatched" ? ref dispatched : ref duplicates, value));
        listener.Start();

        // Three instances of one service, one database: their dispatchers race for the same rows. (Every instance of
        // this test's world runs in this process, so the listener sees every dispatch.)
        var instances = new[] { await _scenario.StartInProcessAsync(), await _scenario.StartInProcessAsync(), await _scenario.StartInProcessAsync() };
        var before = await _scenario.ScalarAsync<long>("select count(*) from effects");
        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await instances[i % instances.Length].Client.PostAsync("/widgets?count=20", null);
            response.EnsureSuccessStatusCode();
        }));

        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<long>("select count(*) from effects") - before == 600, TimeSpan.FromSeconds(30),
            async () => $"{await _scenario.ScalarAsync<long>("select count(*) from effects") - before} of 600 effects");
        await Task.Delay(500);
        Assert.That(Interlocked.Read(ref dispatched), Is.EqualTo(600), "each committed event sent to the broker exactly once");
        Assert.That(Interlocked.Read(ref duplicates), Is.Zero, "so no consumer ever saw one twice");
        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message"), Is.Zero);
    }
}
