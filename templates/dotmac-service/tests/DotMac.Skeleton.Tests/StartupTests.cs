using DotMac.Identity.Tests.Support;
using NUnit.Framework;

namespace DotMac.Skeleton.Tests;

[TestFixture]
public sealed class When_the_service_starts
{
    SkeletonService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await SkeletonService.StartAsync("skeleton_startup");

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task Should_apply_its_migrations_and_say_so()
    {
        var info = await _service.Client.GetJsonAsync("/api/v1/info");

        Assert.That(info.Code, Is.EqualTo(200), info.Body.ToString());
        Assert.That(info.Get("service"), Is.EqualTo("skeleton"));
        var schema = info.Body.GetProperty("schema");
        Assert.That(schema.GetProperty("status").GetString(), Is.EqualTo("Applied"), schema.ToString());
        Assert.That(schema.GetProperty("version").GetInt32(), Is.EqualTo(1), "0001 is the last script applied");
        Assert.That(schema.GetProperty("pending").GetInt32(), Is.Zero);
        Assert.That(await _service.ScalarAsync<long>("select count(*) from widgets"), Is.Zero, "the first migration made the table");
        Assert.That(await _service.ScalarAsync<long>("select count(*) from messaging.inbox_state"), Is.Zero, "the shared messaging tables are there too");
    }

    [Test]
    public async Task Should_refuse_a_caller_without_a_token()
    {
        var reply = await _service.Client.GetJsonAsync("/api/v1/widgets");

        Assert.That(reply.Code, Is.EqualTo(401));
    }
}
