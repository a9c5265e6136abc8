using DotMac.ServiceDefaults.Auth;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using DotMac.Networking.Features;
using DotMac.Networking.Snmp.Tests.Agent;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>The device inventory API: tenant-scoped, validated, credentials encrypted, interfaces from the real agent.</summary>
public class DeviceApiTests
{
    NetSnmpAgent _agent = null!;
    NetworkingHost _host = null!;
    readonly Guid _tenant = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task Start()
    {
        _agent = await NetSnmpAgent.StartAsync();
        _host = await NetworkingHost.StartAsync("networking_api", new Dictionary<string, string?> { ["Networking:Polling:Enabled"] = "false" });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _agent.Dispose();
        }
    }

    [Test]
    public async Task A_registered_device_is_listed_for_its_tenant_only_and_never_shows_its_community()
    {
        var device = await _host.RegisterAsync(_tenant, $"edge-{Guid.NewGuid():N}"[..12], "127.0.0.1", _agent.EndPoint.Port, community: "very-secret-community");

        using var mine = await _host.SendAsync(HttpMethod.Get, $"/api/v1/devices/{device.Id}", _tenant);
        using var theirs = await _host.SendAsync(HttpMethod.Get, $"/api/v1/devices/{device.Id}", Guid.NewGuid());
        using var list = await _host.SendAsync(HttpMethod.Get, "/api/v1/devices?limit=500", _tenant);
        var body = await mine.Content.ReadAsStringAsync();

        Assert.That(mine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Not.Contain("very-secret-community"));
        Assert.That(theirs.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await list.Content.ReadFromJsonAsync<DevicePage>())!.Items.Select(d => d.Id), Does.Contain(device.Id));
    }

    [Test]
    public async Task Credentials_are_encrypted_at_rest()
    {
        var device = await _host.RegisterAsync(_tenant, $"core-{Guid.NewGuid():N}"[..12], "127.0.0.1", _agent.EndPoint.Port, community: "plain-text-would-show");

        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        var stored = await connection.ExecuteScalarAsync<byte[]>("select snmp_credentials from devices where id = @Id", new { device.Id });

        Assert.That(stored, Is.Not.Null.And.Length.GreaterThan(29));
        Assert.That(Encoding.UTF8.GetString(stored!), Does.Not.Contain("plain-text-would-show"));
    }

    [Test]
    public async Task Discovery_records_the_interfaces_of_if_table_and_if_x_table()
    {
        var device = await _host.RegisterAsync(_tenant, $"disc-{Guid.NewGuid():N}"[..12], "127.0.0.1", _agent.EndPoint.Port);
        var names = (await _agent.ToolAsync("snmpbulkwalk", "-v2c", "-c", "public", "-Oqv", _agent.Address, ".1.3.6.1.2.1.31.1.1.1.1")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('"'));

        using var response = await _host.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.Id}/interfaces/discover", _tenant);
        var interfaces = await response.Content.ReadFromJsonAsync<List<InterfaceResponse>>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(interfaces!.Select(i => i.Name), Is.EqualTo(names));
        var lo = interfaces!.Single(i => i.Name == "lo");
        Assert.That((lo.IfType, lo.HighCapacity, lo.OperStatus), Is.EqualTo((24, true, 1)));
    }

    [Test]
    public async Task Discovery_of_a_device_with_a_wrong_community_is_a_504_problem()
    {
        var device = await _host.RegisterAsync(_tenant, $"bad-{Guid.NewGuid():N}"[..12], "127.0.0.1", _agent.EndPoint.Port, community: "wrong-community");

        using var response = await _host.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.Id}/interfaces/discover", _tenant);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Bad_input_is_a_problem_never_a_500()
    {
        using var invalid = await _host.SendAsync(HttpMethod.Post, "/api/v1/devices", _tenant,
            new RegisterDeviceRequest("", "not-an-ip", new SnmpSettings("v3", 161, User: "u", AuthProtocol: "sha", AuthPassword: "short"), PollIntervalSeconds: 0));
        var name = $"dup-{Guid.NewGuid():N}"[..12];
        await _host.RegisterAsync(_tenant, name, "127.0.0.1", _agent.EndPoint.Port);
        using var duplicate = await _host.SendAsync(HttpMethod.Post, "/api/v1/devices", _tenant, new RegisterDeviceRequest(name, "127.0.0.1", new SnmpSettings("v2c", 161, "public")));
        using var badPage = await _host.SendAsync(HttpMethod.Get, "/api/v1/devices?limit=0", _tenant);
        using var badBucket = await _host.SendAsync(HttpMethod.Get, $"/api/v1/devices/{Guid.NewGuid()}/interfaces/1/bandwidth?bucket=7m", _tenant);
        using var missing = await _host.SendAsync(HttpMethod.Delete, $"/api/v1/devices/{Guid.NewGuid()}", _tenant);

        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem, Does.Contain("name").And.Contain("managementAddress").And.Contain("pollIntervalSeconds").And.Contain("snmp.authPassword"));
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(badPage.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(badBucket.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Only_a_token_with_network_permissions_reaches_devices_and_only_those_of_its_tenant()
    {
        var device = await _host.RegisterAsync(_tenant, $"auth-{Guid.NewGuid():N}"[..12], "127.0.0.1", _agent.EndPoint.Port);
        var path = $"/api/v1/devices/{device.Id}";
        var clerk = await NetworkingHost.TokenAsync(_tenant, new Permission("invoices", "read", PermissionScope.Tenant));
        var readOnly = await NetworkingHost.TokenAsync(_tenant, new Permission("network", "read", PermissionScope.Tenant));
        var other = await NetworkingHost.TokenAsync(Guid.NewGuid());
        var platform = await NetworkingHost.TokenAsync(null, new Permission("network", "read", PermissionScope.Global));

        using var anonymous = await _host.SendAsync(HttpMethod.Get, path, token: null);
        using var withoutPermission = await _host.SendAsync(HttpMethod.Get, path, clerk);
        using var readerDeletes = await _host.SendAsync(HttpMethod.Delete, path, readOnly);
        using var readerReads = await _host.SendAsync(HttpMethod.Get, path, readOnly);
        using var otherTenant = await _host.SendAsync(HttpMethod.Get, path, other);
        using var otherNamingThisOne = await _host.SendAsync(HttpMethod.Get, path, other, tenantHeader: _tenant);
        using var platformForThisTenant = await _host.SendAsync(HttpMethod.Get, path, platform, tenantHeader: _tenant);
        using var platformNamingNoTenant = await _host.SendAsync(HttpMethod.Get, path, platform);

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(withoutPermission.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(readerDeletes.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(readerReads.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(otherTenant.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(otherNamingThisOne.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(platformForThisTenant.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(platformNamingNoTenant.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(platformNamingNoTenant.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
