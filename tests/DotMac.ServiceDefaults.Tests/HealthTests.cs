using System.Net;
using System.Text.Json;
using DotMac.AppHost.Infrastructure;
using MassTransit;
using DotMac.ServiceDefaults.Data;
using DotMac.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>
/// Readiness follows the database, the schema and the broker. This class runs its own RabbitMQ node, so it can stop
/// and start it without disturbing the shared one.
/// </summary>
[TestFixture]
public sealed class When_a_service_reports_its_health
{
    RabbitMqServer _rabbit = null!;
    TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task StartPrivateBroker()
    {
        _rabbit = await RabbitMqServer.AcquireAsync(TestInfrastructure.StateDirectory, TestInfrastructure.Loggers.CreateLogger("rabbitmq-chaos"),
            name: "messaging-chaos", preferredPort: 55772);
        _database = await TestInfrastructure.CreateDatabaseAsync("health");
    }

    [OneTimeTearDown]
    public async Task StopPrivateBroker()
    {
        await _database.DisposeAsync();
        await _rabbit.DisposeAsync();
    }

    public sealed record Ping(Guid Id);

    [Test]
    public async Task Should_be_unhealthy_while_rabbitmq_is_down_and_recover_without_a_restart()
    {
        var received = new System.Collections.Concurrent.ConcurrentDictionary<Guid, bool>();
        await using var service = await ServiceHost.StartAsync(_database.ConnectionString, _rabbit.ConnectionString,
            bus: x => x.AddHandler<Ping>((Ping ping) => { received[ping.Id] = true; return Task.CompletedTask; }));
        await WaitForAsync(service, HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        try
        {
            await _rabbit.StopAsync();
            var down = await WaitForAsync(service, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
            Assert.That(Check(down, "broker"), Is.EqualTo("Unhealthy"));
            Assert.That(Check(down, "postgres"), Is.EqualTo("Healthy"));
        }
        finally
        {
            await _rabbit.StartAsync();
        }
        using (var alive = await service.Client.GetAsync("/alive"))
            Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.OK), "liveness does not depend on the broker");

        var up = await WaitForAsync(service, HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        Assert.That(Check(up, "messaging"), Is.EqualTo("Healthy"));
        Assert.That(Check(up, "broker"), Is.EqualTo("Healthy"));

        // Healthy must mean working: the same bus, never restarted, publishes and consumes again.
        var ping = new Ping(Guid.NewGuid());
        await service.App.Services.GetRequiredService<MassTransit.IBus>().Publish(ping);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!received.ContainsKey(ping.Id) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.That(received.ContainsKey(ping.Id), Is.True, "a message published after the broker came back was consumed");
    }

    [Test]
    public async Task Should_stay_unhealthy_and_name_the_script_when_a_migration_fails()
    {
        await using var database = await TestInfrastructure.CreateDatabaseAsync("broken");
        Migration[] migrations = [new(1, "good", "create table good (id int)"), new(2, "broken", "alter table missing add column x int")];
        await using var service = await ServiceHost.StartAsync(database.ConnectionString, _rabbit.ConnectionString, migrations);

        var report = await WaitForAsync(service, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));

        var postgres = report.GetProperty("checks").GetProperty("postgres");
        Assert.That(postgres.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        Assert.That(postgres.GetProperty("description").GetString(), Does.Contain("0002_broken.sql"));
        using var info = JsonDocument.Parse(await service.Client.GetStringAsync("/api/v1/info"));
        Assert.That(info.RootElement.GetProperty("schema").GetProperty("failedScript").GetString(), Is.EqualTo("0002_broken.sql"));
    }

    [Test]
    public async Task Should_describe_itself_at_the_info_endpoint()
    {
        await using var service = await ServiceHost.StartAsync(_database.ConnectionString, _rabbit.ConnectionString);
        await WaitForAsync(service, HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        using var info = JsonDocument.Parse(await service.Client.GetStringAsync("/api/v1/info"));

        Assert.That(info.RootElement.GetProperty("service").GetString(), Is.EqualTo("testapp"));
        Assert.That(info.RootElement.GetProperty("schema").GetProperty("status").GetString(), Is.EqualTo("Applied"));
        Assert.That(info.RootElement.GetProperty("schema").GetProperty("version").GetInt32(), Is.EqualTo(2));
    }

    static string? Check(JsonElement report, string name) =>
        report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();

    static async Task<JsonElement> WaitForAsync(LocalApp service, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (true)
        {
            using var response = await service.Client.GetAsync("/health");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected)
                return JsonDocument.Parse(last).RootElement.Clone();
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"/health did not answer {(int)expected} within {timeout.TotalSeconds} s; last: {(int)response.StatusCode} {last}");
            await Task.Delay(250);
        }
    }
}
