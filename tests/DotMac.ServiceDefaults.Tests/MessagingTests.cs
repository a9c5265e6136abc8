using System.Collections.Concurrent;
using DotMac.Contracts.Platform;
using DotMac.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>Two services on the real broker, each test class in its own virtual host.</summary>
[TestFixture]
public sealed class When_a_service_publishes_an_event
{
    public sealed class TenantCreatedConsumer(ConcurrentBag<Guid> seen) : IConsumer<TenantCreated>
    {
        public Task Consume(ConsumeContext<TenantCreated> context)
        {
            seen.Add(context.Message.TenantId);
            return Task.CompletedTask;
        }
    }

    TestDatabase _database = null!;
    TestVirtualHost _vhost = null!;
    TestVirtualHost _otherVhost = null!;

    [OneTimeSetUp]
    public async Task CreateIsolation()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("messaging");
        _vhost = await TestInfrastructure.CreateVirtualHostAsync("messaging");
        _otherVhost = await TestInfrastructure.CreateVirtualHostAsync("messaging-other");
    }

    [OneTimeTearDown]
    public async Task DropIsolation()
    {
        await _vhost.DisposeAsync();
        await _otherVhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Should_reach_a_consumer_in_its_virtual_host_and_no_other()
    {
        var here = new ConcurrentBag<Guid>();
        var there = new ConcurrentBag<Guid>();
        await using var publisher = await StartAsync(_vhost, here);
        await using var isolated = await StartAsync(_otherVhost, there);
        var tenant = Guid.CreateVersion7();

        await publisher.App.Services.GetRequiredService<IBus>()
            .Publish(new TenantCreated(tenant, "acme", "Acme ISP", "standard", "EUR", "Europe/Berlin", DateTimeOffset.UtcNow));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!here.Contains(tenant) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await Task.Delay(500);
        Assert.That(here, Does.Contain(tenant));
        Assert.That(there, Is.Empty, "another virtual host sees nothing");
    }

    [Test]
    public async Task Should_name_queues_after_the_service_in_kebab_case()
    {
        await using var service = await StartAsync(_vhost, []);

        var name = service.App.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<TenantCreatedConsumer>();

        Assert.That(name, Is.EqualTo("testapp-tenant-created"));
    }

    [Test]
    public async Task Should_not_report_usage_to_the_vendor()
    {
        await using var service = await StartAsync(_vhost, []);

        var usage = service.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UsageTelemetryOptions>>().Value;

        Assert.That(usage.Enabled, Is.False);
    }

    // Ready means the consumer's queue is bound: an event published before that has no queue to land in.
    async Task<LocalApp> StartAsync(TestVirtualHost vhost, ConcurrentBag<Guid> seen)
    {
        var app = await ServiceHost.StartAsync(_database.ConnectionString, vhost.ConnectionString, bus: x =>
        {
            x.AddSingleton(seen);
            x.AddConsumer<TenantCreatedConsumer>();
        });
        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        return app;
    }
}
