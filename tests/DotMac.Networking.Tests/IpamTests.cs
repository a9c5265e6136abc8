using System.Net;
using System.Net.Http.Json;
using Dapper;
using DotMac.Contracts.Networking;
using DotMac.Networking.Ipam;
using Npgsql;
using DotMac.ServiceDefaults.Http;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

/// <summary>IP address management through networking's API, on a real PostgreSQL and RabbitMQ.</summary>
public class IpamTests
{
    NetworkingHost _host = null!;
    readonly Guid _tenant = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task Start() =>
        _host = await NetworkingHost.StartAsync("networking_ipam", new Dictionary<string, string?> { ["Networking:Polling:Enabled"] = "false" });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task Two_hundred_concurrent_allocations_from_one_pool_get_two_hundred_distinct_addresses()
    {
        var pool = await PoolAsync("100.64.0.0/24", gateway: "100.64.0.1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations", _tenant, new AllocateRequest($"order-{i}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<AllocationResponse>())!;
        }));

        var addresses = responses.Select(r => r.Address).ToList();
        Assert.That(addresses.Distinct().Count(), Is.EqualTo(200));
        Assert.That(addresses, Has.None.EqualTo("100.64.0.1").And.None.EqualTo("100.64.0.0").And.None.EqualTo("100.64.0.255"));
        Assert.That(addresses.Select(a => int.Parse(a.Split('.')[3])).Order(), Is.EqualTo(Enumerable.Range(2, 200)), "the lowest free addresses, in order");
        var described = await GetPoolAsync(pool.Id);
        Assert.That(described.Utilization, Is.EqualTo(new PoolUtilization(254, 200, 1, 53, Math.Round(201.0 / 254 * 100, 4))));
        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(distinct address) from ip_allocations where pool_id = @Id", new { pool.Id }), Is.EqualTo(201));
    }

    [Test]
    public async Task An_exhausted_pool_refuses_with_409_and_a_released_address_is_handed_out_again()
    {
        var pool = await PoolAsync("192.0.2.0/30");
        var first = await AllocateAsync(pool.Id, "a");
        var second = await AllocateAsync(pool.Id, "b");

        using var third = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations", _tenant, new AllocateRequest("c"));
        var problem = await third.Content.ReadAsStringAsync();
        Assert.That((first.Address, second.Address), Is.EqualTo(("192.0.2.1", "192.0.2.2")));
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem, Does.Contain("ip_pool.exhausted"));

        using var release = await _host.SendAsync(HttpMethod.Delete, $"/api/v1/ip-pools/{pool.Id}/allocations/{first.Id}", _tenant);
        Assert.That(release.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var again = await AllocateAsync(pool.Id, "c");
        Assert.That(again.Address, Is.EqualTo("192.0.2.1"));
        await EventRecorder.WaitForAsync<IpReleased>(e => e.AllocationId == first.Id && e.Address == "192.0.2.1", TimeSpan.FromSeconds(10));
        await EventRecorder.WaitForAsync<IpAllocated>(e => e.AllocationId == again.Id && e.Reference == "c", TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task The_same_idempotency_key_or_reference_returns_the_same_address()
    {
        var pool = await PoolAsync("198.51.100.0/29");

        async Task<(HttpStatusCode, AllocationResponse)> PostAsync(string key)
        {
            using var response = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations", _tenant,
                headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<AllocationResponse>())!);
        }

        var (firstStatus, first) = await PostAsync("key-1");
        var (repeatStatus, repeat) = await PostAsync("key-1");
        var (otherStatus, other) = await PostAsync("key-2");
        var byReference = await AllocateAsync(pool.Id, "subscriber-7");
        using var sameReference = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations", _tenant, new AllocateRequest("subscriber-7"));

        Assert.That((firstStatus, repeatStatus, otherStatus), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created)));
        Assert.That(repeat, Is.EqualTo(first));
        Assert.That(other.Address, Is.Not.EqualTo(first.Address));
        Assert.That(sameReference.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await sameReference.Content.ReadFromJsonAsync<AllocationResponse>())!.Address, Is.EqualTo(byReference.Address));
        Assert.That((await GetPoolAsync(pool.Id)).Utilization.Allocated, Is.EqualTo(3));
    }

    [Test]
    public async Task Reservations_are_never_handed_out_and_a_taken_address_cannot_be_reserved()
    {
        var pool = await PoolAsync("203.0.113.0/29");
        using var reserve = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/reservations", _tenant, new ReserveRequest("203.0.113.1", "core router"));
        using var twice = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/reservations", _tenant, new ReserveRequest("203.0.113.1"));
        using var broadcast = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/reservations", _tenant, new ReserveRequest("203.0.113.7"));
        using var outside = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/reservations", _tenant, new ReserveRequest("203.0.113.9"));

        var allocated = await AllocateAsync(pool.Id, "first-customer");

        Assert.That(reserve.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((broadcast.StatusCode, outside.StatusCode), Is.EqualTo((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity)));
        Assert.That(allocated.Address, Is.EqualTo("203.0.113.2"));
        using var list = await _host.SendAsync(HttpMethod.Get, $"/api/v1/ip-pools/{pool.Id}/allocations", _tenant);
        var page = (await list.Content.ReadFromJsonAsync<Page<AllocationResponse>>())!;
        Assert.That(page.Items.Select(a => (a.Address, a.Kind)), Is.EqualTo(new[] { ("203.0.113.1", "reserved"), ("203.0.113.2", "allocated") }));
    }

    [Test]
    public async Task An_ipv6_pool_delegates_prefixes()
    {
        var prefix = await PrefixAsync("2001:db8:4400::/40", "pop-north");
        using var create = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant,
            new CreatePoolRequest($"pd-{Guid.NewGuid():N}"[..10], prefix.Id, "2001:db8:4400::/48", 56));
        var pool = (await create.Content.ReadFromJsonAsync<PoolResponse>())!;

        var first = await AllocateAsync(pool.Id, "cpe-1");
        var second = await AllocateAsync(pool.Id, "cpe-2");

        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((pool.Family, pool.Site, pool.Utilization.Size), Is.EqualTo((6, "pop-north", 256m)));
        Assert.That((first.Address, second.Address), Is.EqualTo(("2001:db8:4400::/56", "2001:db8:4400:100::/56")));
    }

    [Test]
    public async Task Pools_and_prefixes_never_overlap_and_stay_inside_their_prefix()
    {
        var prefix = await PrefixAsync("10.20.0.0/16");
        using var overlappingPrefix = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-prefixes", _tenant, new CreatePrefixRequest("10.20.128.0/17"));
        using var first = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("ppp-a", prefix.Id, "10.20.0.0/22"));
        using var overlapping = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("ppp-b", prefix.Id, "10.20.2.0/24"));
        using var outside = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("ppp-c", prefix.Id, "10.21.0.0/24"));
        using var sameName = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("ppp-a", prefix.Id, "10.20.8.0/24"));
        using var otherTenant = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-prefixes", Guid.NewGuid(), new CreatePrefixRequest("10.20.0.0/16"));
        using var deletePrefix = await _host.SendAsync(HttpMethod.Delete, $"/api/v1/ip-prefixes/{prefix.Id}", _tenant);

        Assert.That(overlappingPrefix.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(overlapping.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(sameName.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(otherTenant.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another tenant may use the same private space");
        Assert.That(deletePrefix.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Another_tenant_sees_none_of_it_and_bad_input_is_a_problem()
    {
        var pool = await PoolAsync("172.16.50.0/24");
        var stranger = Guid.NewGuid();
        using var read = await _host.SendAsync(HttpMethod.Get, $"/api/v1/ip-pools/{pool.Id}", stranger);
        using var allocate = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations", stranger, new AllocateRequest("x"));
        using var list = await _host.SendAsync(HttpMethod.Get, "/api/v1/ip-pools", stranger);
        using var hostBits = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-prefixes", _tenant, new CreatePrefixRequest("172.17.0.1/16"));
        using var badAssign = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("x", pool.PrefixId, "172.16.60.0/24", 20));
        using var noPrefix = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("y", Guid.NewGuid(), "172.16.61.0/24"));
        using var badGateway = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant, new CreatePoolRequest("z", pool.PrefixId, "172.16.62.0/24", Gateway: "172.16.63.1"));
        using var missingPool = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{Guid.NewGuid()}/allocations", _tenant, new AllocateRequest());
        using var readOnly = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool.Id}/allocations",
            await NetworkingHost.TokenAsync(_tenant, new DotMac.ServiceDefaults.Auth.Permission("network", "read", DotMac.ServiceDefaults.Auth.PermissionScope.Tenant)), new AllocateRequest());

        Assert.That((read.StatusCode, allocate.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That((await list.Content.ReadFromJsonAsync<Page<PoolResponse>>())!.Total, Is.Zero);
        Assert.That((hostBits.StatusCode, badAssign.StatusCode, noPrefix.StatusCode, badGateway.StatusCode),
            Is.EqualTo((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity)));
        Assert.That(await badAssign.Content.ReadAsStringAsync(), Does.Contain("assignLength"));
        Assert.That(missingPool.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(readOnly.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(hostBits.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    async Task<PrefixResponse> PrefixAsync(string prefix, string? site = null)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-prefixes", _tenant, new CreatePrefixRequest(prefix, site));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PrefixResponse>())!;
    }

    async Task<PoolResponse> PoolAsync(string network, string? gateway = null)
    {
        var prefix = await PrefixAsync(network, "site-a");
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/ip-pools", _tenant,
            new CreatePoolRequest($"pool-{Guid.NewGuid():N}"[..12], prefix.Id, network, Gateway: gateway));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PoolResponse>())!;
    }

    async Task<PoolResponse> GetPoolAsync(Guid id)
    {
        using var response = await _host.SendAsync(HttpMethod.Get, $"/api/v1/ip-pools/{id}", _tenant);
        return (await response.Content.ReadFromJsonAsync<PoolResponse>())!;
    }

    async Task<AllocationResponse> AllocateAsync(Guid pool, string reference)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, $"/api/v1/ip-pools/{pool}/allocations", _tenant, new AllocateRequest(reference));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AllocationResponse>())!;
    }
}
