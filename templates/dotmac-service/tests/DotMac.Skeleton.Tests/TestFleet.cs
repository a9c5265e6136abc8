using Dapper;
using DotMac.Contracts.Platform;
using DotMac.Identity.Tests.Support;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Testing;
using MassTransit;
using Npgsql;

namespace DotMac.Skeleton.Tests;

/// <summary>
/// What skeleton needs around it, once per test assembly: a RabbitMQ virtual host, the real identity as its own
/// process (its database, its signing keys, its bootstrap super admin), and platform's side of the bus to announce
/// tenants. Tokens come from identity's public API, as in production: a role holding the permissions, a user with
/// that role, a login.
/// </summary>
public static class TestFleet
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static Fleet? _fleet;

    sealed record Fleet(TestVirtualHost VirtualHost, TestDatabase IdentityDatabase, TemporaryFolder Secrets, ServiceProcess Identity,
        IBusControl Platform, string AdminToken);

    public static async Task<TestVirtualHost> VirtualHostAsync() => (await StartAsync()).VirtualHost;

    public static async Task<Uri> IdentityAsync() => (await StartAsync()).Identity.Address;

    /// <summary>Publishes as platform does; <paramref name="messageId"/> fixes the MessageId (a redelivery).</summary>
    public static async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        await (await StartAsync()).Platform.Publish(message, c =>
        {
            if (messageId is { } id)
                c.MessageId = id;
        });

    /// <summary>A staff token of <paramref name="tenant"/> holding exactly <paramref name="permissions"/> ("skeleton:read:tenant").</summary>
    public static async Task<string> StaffTokenAsync(Guid tenant, params string[] permissions)
    {
        var fleet = await StartAsync();
        await AnnounceTenantAsync(fleet, tenant);
        var client = fleet.Identity.Client;
        var asTenant = Api.Tenant(tenant);
        var role = $"r{Guid.NewGuid():N}"[..16];
        var roleCreated = await client.PostJsonAsync("/api/v1/roles", new { name = role, description = "skeleton tests", permissions }, fleet.AdminToken, asTenant);
        Expect(roleCreated, 201, "creating a role");
        var email = $"u{Guid.NewGuid():N}@example.test";
        var password = $"Aa1-{Guid.NewGuid():N}";
        var user = await client.PostJsonAsync("/api/v1/users", new { email, displayName = "Skeleton tester", password, roles = new[] { role } }, fleet.AdminToken, asTenant);
        Expect(user, 201, "creating a user");
        var login = await client.PostJsonAsync("/api/v1/auth/login", new { email, password, tenantId = tenant });
        Expect(login, 200, "logging in");
        return login.Get("access_token");
    }

    static void Expect(Api.Reply reply, int status, string what)
    {
        if (reply.Code != status)
            throw new InvalidOperationException($"identity, {what}: {reply.Code} {reply.Body}");
    }

    // Identity only gives users to tenants it has heard of from platform.
    static async Task AnnounceTenantAsync(Fleet fleet, Guid tenant)
    {
        await fleet.Platform.Publish(new TenantCreated(tenant, $"t-{tenant:N}"[..20], "Test tenant", "standard", "USD", "UTC", DateTimeOffset.UtcNow));
        await using var connection = new NpgsqlConnection(fleet.IdentityDatabase.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await connection.ExecuteScalarAsync<long>("select count(*) from tenants where id = @tenant", new { tenant }) == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"identity did not consume TenantCreated:\n{fleet.Identity.Tail()}");
            await Task.Delay(50);
        }
    }

    static async Task<Fleet> StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _fleet ??= await CreateAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<Fleet> CreateAsync()
    {
        var vhost = await TestInfrastructure.CreateVirtualHostAsync("skeleton");
        var database = await TestInfrastructure.CreateDatabaseAsync("skeleton_identity");
        var secrets = new TemporaryFolder("skeleton-identity");
        var bootstrap = Path.Combine(secrets.Path, "super-admin.txt");
        var identity = ServiceProcess.Start(ServiceProcess.BuiltAssembly("services/identity/DotMac.Identity", "DotMac.Identity"), new Dictionary<string, string>
        {
            ["ConnectionStrings__identity-db"] = database.ConnectionString,
            ["ConnectionStrings__messaging"] = vhost.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "identity",
            ["DotMac__Identity__BootstrapPasswordFile"] = bootstrap,
            ["DotMac__Identity__KeyEncryptionKeyFile"] = Path.Combine(secrets.Path, "signing-key-encryption.key"),
        });
        await identity.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var lines = await File.ReadAllLinesAsync(bootstrap);
        var login = await identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = lines[0], password = lines[1] });
        Expect(login, 200, "the super admin's login");

        var broker = RabbitMqEndpoint.Parse(vhost.ConnectionString);
        var platform = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
        }));
        await platform.StartAsync();
        return new Fleet(vhost, database, secrets, identity, platform, login.Get("access_token"));
    }

    public static async ValueTask StopAsync()
    {
        if (_fleet is not { } fleet)
            return;
        _fleet = null;
        await fleet.Platform.StopAsync();
        await fleet.Identity.DisposeAsync();
        await fleet.IdentityDatabase.DisposeAsync();
        await fleet.VirtualHost.DisposeAsync();
        fleet.Secrets.Dispose();
    }
}
