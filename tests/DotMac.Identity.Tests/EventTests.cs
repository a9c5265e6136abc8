using System.Collections.Concurrent;
using DotMac.Contracts.Identity;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;
using NUnit.Framework;

namespace DotMac.Identity.Tests;

/// <summary>What identity tells the rest of the fleet, received from the real broker by a listener of our own.</summary>
[TestFixture]
public sealed class When_identity_publishes_events
{
    IdentityHost _identity = null!;
    IBusControl _listener = null!;
    readonly ConcurrentBag<object> _received = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _identity = await IdentityHost.StartAsync("identity_events");
        // A bus made outside AddServiceBus: make sure it does not report usage to MassTransit's vendor either.
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
        var endpoint = RabbitMqEndpoint.Parse(_identity.VirtualHost.ConnectionString);
        _listener = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, h =>
            {
                h.Username(endpoint.Username);
                h.Password(endpoint.Password);
            });
            cfg.ReceiveEndpoint("identity-tests-listener", e =>
            {
                e.Handler<CustomerCreated>(c => { _received.Add(c.Message); return Task.CompletedTask; });
                e.Handler<PortalAccountActivated>(c => { _received.Add(c.Message); return Task.CompletedTask; });
                e.Handler<UserLockedOut>(c => { _received.Add(c.Message); return Task.CompletedTask; });
            });
        });
        await _listener.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _listener.StopAsync();
        await _identity.DisposeAsync();
    }

    async Task<T> ReceivedAsync<T>(Func<T, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_received.OfType<T>().FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {typeof(T).Name} arrived");
    }

    [Test]
    public async Task Should_publish_customer_created_activation_and_lockout()
    {
        var tenant = await _identity.CreateTenantAsync("events-isp");
        var super = (await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword })).Get("access_token");
        var (customerId, portalId, initial) = await _identity.Client.CreateCustomerAsync("/api/v1/customers", super, "dayo", Api.Tenant(tenant));
        await _identity.Client.PostJsonAsync("/api/v1/auth/portal/activate", new { portalId, currentPassword = initial, newPassword = "Dayo-Secret-2026" });
        for (var i = 0; i < 5; i++)
            await _identity.Client.PostJsonAsync("/api/v1/auth/portal/login", new { portalId, password = "Wrong-Password-1" });

        var created = await ReceivedAsync<CustomerCreated>(e => e.CustomerId == customerId);
        var activated = await ReceivedAsync<PortalAccountActivated>(e => e.CustomerId == customerId);
        var locked = await ReceivedAsync<UserLockedOut>(e => e.TenantId == tenant);

        Assert.That(created.TenantId, Is.EqualTo(tenant));
        Assert.That(created.PortalId, Is.EqualTo(portalId));
        Assert.That(activated.PortalId, Is.EqualTo(portalId));
        Assert.That(locked.AccountKind, Is.EqualTo("customer"));
        Assert.That(locked.LockedUntil - DateTimeOffset.UtcNow, Is.EqualTo(TimeSpan.FromMinutes(30)).Within(TimeSpan.FromMinutes(1)));
    }
}
