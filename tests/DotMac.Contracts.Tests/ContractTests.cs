using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Contracts.Tests;

[TestFixture]
public sealed class Every_contract
{
    static readonly Type[] Contracts = typeof(IIntegrationEvent).Assembly.GetExportedTypes()
        .Where(t => t.IsClass && !t.IsAbstract && !typeof(Attribute).IsAssignableFrom(t))
        .OrderBy(t => t.FullName)
        .ToArray();

    static IEnumerable<TestCaseData> Cases() => Contracts.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [Test]
    public void Should_exist() => Assert.That(Contracts, Is.Not.Empty);

    [TestCaseSource(nameof(Cases))]
    public void Should_be_a_sealed_record_in_a_domain_namespace(Type type)
    {
        Assert.That(type.IsSealed, Is.True, "contracts are sealed");
        Assert.That(type.GetProperty("EqualityContract", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance), Is.Not.Null, "contracts are records");
        Assert.That(type.Namespace, Does.Match(@"^DotMac\.Contracts\.[A-Z][A-Za-z]+$"), "one namespace per owning domain");
    }

    [TestCaseSource(nameof(Cases))]
    public void Should_say_which_tenant_and_when_if_it_is_an_event(Type type)
    {
        if (type.Name.EndsWith("Command", StringComparison.Ordinal))
            Assert.Pass("commands are not events");
        if (Contracts.Any(c => c.GetProperties().Any(p => p.PropertyType == type || p.PropertyType.GetGenericArguments().Contains(type))))
            Assert.Pass("a part of other contracts (a tax rate of tenant settings), not a message of its own");
        Assert.That(typeof(IIntegrationEvent).IsAssignableFrom(type) || typeof(IPlatformEvent).IsAssignableFrom(type), Is.True,
            $"{type.Name} is an event and must implement IIntegrationEvent (a tenant's) or IPlatformEvent (the platform's)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Should_round_trip_through_system_text_json(Type type)
    {
        var sample = SampleValues.Create(type);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(sample, type, options);
        var back = JsonSerializer.Deserialize(json, type, options);

        Assert.That(JsonSerializer.Serialize(back, type, options), Is.EqualTo(json));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Should_round_trip_through_the_bus_serializer(Type type)
    {
        var method = typeof(Every_contract).GetMethod(nameof(ThroughBusAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        await (Task)method.MakeGenericMethod(type).Invoke(null, [SampleValues.Create(type)])!;
    }

    /// <summary>Published and consumed on MassTransit's in-memory transport, which serializes like RabbitMQ's.</summary>
    static async Task ThroughBusAsync<T>(T sample) where T : class
    {
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness(x => x.AddHandler<T>((ConsumeContext<T> _) => Task.CompletedTask))
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(sample);
            var consumed = await harness.Consumed.SelectAsync<T>().FirstOrDefault();

            Assert.That(consumed, Is.Not.Null, $"{typeof(T).Name} was not consumed");
            var options = SystemTextJsonMessageSerializer.Options;
            Assert.That(JsonSerializer.Serialize(consumed!.Context.Message, options), Is.EqualTo(JsonSerializer.Serialize(sample, options)));
            Assert.That(consumed.Context.SerializerContext, Is.Not.Null);
        }
        finally
        {
            await harness.Stop();
        }
    }
}
