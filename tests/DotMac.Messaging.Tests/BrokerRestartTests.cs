using System.Net.Http.Json;
using DotMac.AppHost.Infrastructure;
using DotMac.Messaging.TestHost;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.Messaging.Tests;

/// <summary>RabbitMQ killed and restarted under load, on a node of the test's own (the shared one is never touched).</summary>
[TestFixture]
public sealed class When_rabbitmq_restarts_while_10000_events_flow
{
    const int Batches = 100;
    const int PerBatch = 100;
    const int Total = Batches * PerBatch;
    const int Port = 56172;

    TemporaryFolder _folder = null!;
    RabbitMqServer _node = null!;
    RabbitMqServer? _restarted;
    Scenario _scenario = null!;

    [OneTimeSetUp]
    public async Task StartPrivateNode()
    {
        _folder = new TemporaryFolder("dotmac-mq-restart");
        _node = await AcquireNodeAsync();
        _scenario = await Scenario.CreateAsync("broker_restart", _node.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopPrivateNode()
    {
        await _scenario.DisposeAsync();
        if (_restarted is not null)
            await _restarted.DisposeAsync();
        await _node.DisposeAsync();
        _folder.Dispose();
    }

    [Test]
    public async Task Should_handle_every_event_once_in_effect()
    {
        var app = await _scenario.StartInProcessAsync(new Dictionary<string, string?>
        {
            ["DotMac:Messaging:ScheduledRedelivery"] = "false",
            ["Logging:LogLevel:MassTransit"] = "None", // every in-flight send faults loudly while the broker is dead
        });
        var posting = Task.Run(async () =>
        {
            for (var batch = 0; batch < Batches; batch++)
            {
                using var response = await app.Client.PostAsync($"/widgets?count={PerBatch}", null);
                response.EnsureSuccessStatusCode(); // the API keeps accepting while the broker is down: the outbox holds the events
                await response.Content.ReadFromJsonAsync<TestHostApp.Batch>();
            }
        });

        await Scenario.EventuallyAsync(async () => await EffectsAsync() >= Total / 5, TimeSpan.FromSeconds(60), async () => $"{await EffectsAsync()} effects");
        var pid = int.Parse(File.ReadAllText(Path.Combine(_folder.Path, "messaging", "rabbitmq.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Unix.Signal(pid, Unix.SigKill);
        while (Unix.IsRunning(pid))
            await Task.Delay(50);
        // The node's helper processes let go of the listening socket a moment after the node itself died.
        for (var waited = 0; !Ports.IsFree(Port) && waited < 200; waited++)
            await Task.Delay(50);
        var killedAt = await EffectsAsync();
        var restarted = _restarted = await AcquireNodeAsync();
        Assert.That(restarted.Port, Is.EqualTo(_node.Port), "the node came back where the service looks for it");
        TestContext.Progress.WriteLine($"broker killed after {killedAt} effects and restarted");

        await posting;
        await Scenario.EventuallyAsync(async () => await EffectsAsync() >= Total, TimeSpan.FromSeconds(180),
            async () => $"{await EffectsAsync()} of {Total} effects, {await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message")} in the outbox");
        await Task.Delay(1000); // anything redelivered late would show now

        Assert.That(await _scenario.ScalarAsync<long>("select count(*) from widgets"), Is.EqualTo(Total));
        Assert.That(await EffectsAsync(), Is.EqualTo(Total), "no event handled twice in effect");
        Assert.That(await _scenario.ScalarAsync<long>("select count(distinct subject) from effects where kind = 'widget'"), Is.EqualTo(Total), "none lost");
    }

    Task<long> EffectsAsync() => _scenario.ScalarAsync<long>("select count(*) from effects where kind = 'widget'");

    Task<RabbitMqServer> AcquireNodeAsync() =>
        RabbitMqServer.AcquireAsync(_folder.Path, TestInfrastructure.Loggers.CreateLogger("mq-restart"), name: "messaging", preferredPort: Port);
}
