using DotMac.Contracts.Platform;
using NUnit.Framework;

namespace DotMac.Skeleton.Tests;

[TestFixture]
public sealed class When_platform_announces_a_tenant
{
    SkeletonService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await SkeletonService.StartAsync("skeleton_tenants");

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task Should_record_the_tenant_once_however_often_the_event_arrives()
    {
        var tenant = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var created = new TenantCreated(tenant, "lagos-fibre", "Lagos Fibre", "standard", "NGN", "Africa/Lagos", DateTimeOffset.UtcNow);

        // The same message twice, as the broker redelivers one whose acknowledgement was lost.
        await TestFleet.PublishAsync(created, messageId);
        await TestFleet.PublishAsync(created, messageId);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        int? received = null;
        while (DateTime.UtcNow < deadline && received != 2)
        {
            received = await _service.ScalarAsync<int?>("select receive_count from messaging.inbox_state where message_id = @messageId", new { messageId });
            await Task.Delay(100);
        }
        Assert.That(received, Is.EqualTo(2), $"both deliveries reached the inbox\n{_service.Process.Tail()}");
        Assert.That(await _service.ScalarAsync<long>("select count(*) from tenants where id = @tenant", new { tenant }), Is.EqualTo(1));
        Assert.That(await _service.ScalarAsync<string>("select name from tenants where id = @tenant", new { tenant }), Is.EqualTo("Lagos Fibre"));
        Assert.That(_service.Process.Tail(), Does.Not.Contain("fail:"), "the repeat was not handled (and failed) a second time");
    }
}
