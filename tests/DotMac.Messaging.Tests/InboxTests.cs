using DotMac.Messaging.TestHost;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.Messaging.Tests;

/// <summary>The inbox: a message delivered again and again has the effect of once.</summary>
[TestFixture]
public sealed class When_the_same_message_is_delivered_again
{
    Scenario _scenario = null!;
    LocalApp _app = null!;

    [OneTimeSetUp]
    public async Task StartService()
    {
        _scenario = await Scenario.CreateAsync("inbox");
        _app = await _scenario.StartInProcessAsync();
    }

    [OneTimeTearDown]
    public async Task DisposeScenario() => await _scenario.DisposeAsync();

    [TestCase(2)]
    [TestCase(100)]
    public async Task Should_change_nothing_twice(int deliveries)
    {
        var widget = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, deliveries)
            .Select(_ => Scenario.PublishAsync(_app, new WidgetCreated(widget, Guid.NewGuid()), messageId)));

        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<int?>(
                "select receive_count from messaging.inbox_state where message_id = @messageId", new { messageId }) == deliveries,
            TimeSpan.FromSeconds(30), async () => $"receive_count {await _scenario.ScalarAsync<int?>("select max(receive_count) from messaging.inbox_state where message_id = @messageId", new { messageId })}");

        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from effects where subject = @widget", new { widget }), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_handle_distinct_messages_with_equal_content_each()
    {
        var widget = Guid.NewGuid();
        await Scenario.PublishAsync(_app, new WidgetCreated(widget, Guid.Empty));
        await Scenario.PublishAsync(_app, new WidgetCreated(widget, Guid.Empty));
        await Scenario.EventuallyAsync(async () => await _scenario.ScalarAsync<long>("select count(*) from effects where subject = @widget", new { widget }) == 2,
            TimeSpan.FromSeconds(15), () => Task.FromResult("two effects: two messages, two ids"));
    }
}
