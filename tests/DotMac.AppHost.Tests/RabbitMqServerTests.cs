using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>The managed RabbitMQ node after a crash, in a state folder of its own (never the shared node).</summary>
[TestFixture]
public sealed class When_dotmac_manages_a_rabbitmq_node
{
    TemporaryFolder _folder = null!;

    string _state => _folder.Path;

    [SetUp]
    public void CreateStateFolder() => _folder = new TemporaryFolder("dotmac-mq");

    [TearDown]
    public void RemoveStateFolder() => _folder.Dispose();

    [Test]
    public async Task Should_start_afresh_after_the_node_was_killed_and_stop_it_at_the_end()
    {
        var crashed = await AcquireAsync();
        var pid = NodePid();
        Unix.Signal(pid, Unix.SigKill);
        while (Unix.IsRunning(pid))
            await Task.Delay(50);

        var server = await AcquireAsync();
        var restarted = NodePid();
        Assert.That(restarted, Is.Not.EqualTo(pid));
        await server.CreateVirtualHostAsync("after-crash"); // the management API answers: the node really serves
        Assert.That(await Ports.AcceptsAsync(server.Port, TimeSpan.FromSeconds(2)), Is.True);

        await server.DisposeAsync();
        await crashed.DisposeAsync();
        Assert.That(Unix.IsRunning(restarted), Is.False, "the last holder stopped the node");
    }

    int NodePid() => int.Parse(File.ReadAllText(Path.Combine(_state, "messaging", "rabbitmq.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    Task<RabbitMqServer> AcquireAsync() =>
        RabbitMqServer.AcquireAsync(_state, TestInfrastructure.Loggers.CreateLogger("mq-lifecycle"), name: "messaging", preferredPort: 55872);
}
