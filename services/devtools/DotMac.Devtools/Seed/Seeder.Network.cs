using System.Net;

namespace DotMac.Devtools.Seed;

// The plan catalog, IP address management and the device inventory: looked up by code, prefix and name.
public sealed partial class Seeder
{
    async Task<Dictionary<string, Plan>> PlansAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var plans = (await AllAsync<Plan>("/api/v1/services/plans", cancellationToken)).ToDictionary(p => p.Code, StringComparer.Ordinal);
        var created = 0;
        foreach (var plan in isp.Plans.Where(p => !plans.ContainsKey(p.Code)))
        {
            plans[plan.Code] = await client.PostAsync<Plan>("/api/v1/services/plans", plan, cancellationToken);
            created++;
        }
        var retired = isp.Plans.Where(p => plans[p.Code].Status != "active").Select(p => p.Code).ToList();
        if (retired.Count > 0)
            throw new SeedException($"Plans {string.Join(", ", retired)} of tenant '{isp.Slug}' are retired: orders need them active.");
        report.Count("plans", created, isp.Plans.Count - created);
        progress($"plans: {created} created, {isp.Plans.Count - created} existing");
        return plans;
    }

    async Task<Dictionary<string, IpPool>> IpamAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var prefixes = await AllAsync<IpPrefix>("/api/v1/networking/ip-prefixes", cancellationToken);
        var prefixIds = new Dictionary<IPNetwork, Guid>();
        foreach (var prefix in prefixes)
            prefixIds[IPNetwork.Parse(prefix.Prefix)] = prefix.Id;
        var createdPrefixes = 0;
        foreach (var prefix in isp.Prefixes.Where(p => !prefixIds.ContainsKey(IPNetwork.Parse(p.Prefix))))
        {
            prefixIds[IPNetwork.Parse(prefix.Prefix)] = (await client.PostAsync<IpPrefix>("/api/v1/networking/ip-prefixes", prefix, cancellationToken)).Id;
            createdPrefixes++;
        }
        report.Count("ip prefixes", createdPrefixes, isp.Prefixes.Count - createdPrefixes);

        var pools = (await AllAsync<IpPool>("/api/v1/networking/ip-pools", cancellationToken)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var createdPools = 0;
        foreach (var pool in isp.Pools.Where(p => !pools.ContainsKey(p.Name)))
        {
            pools[pool.Name] = await client.PostAsync<IpPool>("/api/v1/networking/ip-pools", new CreatePool(pool.Name, prefixIds[IPNetwork.Parse(pool.Prefix)],
                pool.Network, pool.AssignLength, pool.Gateway, pool.Description), cancellationToken);
            createdPools++;
        }
        report.Count("ip pools", createdPools, isp.Pools.Count - createdPools);
        progress($"ipam: {createdPrefixes} prefixes and {createdPools} pools created, {isp.Prefixes.Count - createdPrefixes} and {isp.Pools.Count - createdPools} existing");
        return pools;
    }

    /// <summary>
    /// Devices point at a local snmpd (127.0.0.1:16161, community public) when one answers there, so networking's
    /// poller reads real interfaces; without one they are left out, since every poll would fail and mark them down.
    /// </summary>
    async Task DevicesAsync(SeedReport report, CancellationToken cancellationToken)
    {
        var devices = (await AllAsync<Device>("/api/v1/networking/devices", cancellationToken)).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var existing = isp.Devices.Count(d => devices.Contains(d.Name));
        var missing = isp.Devices.Where(d => !devices.Contains(d.Name)).ToList();
        if (missing.Count > 0 && !await SnmpProbe.AnswersAsync(SnmpProbe.Local, DemoIsp.SnmpCommunity, TimeSpan.FromSeconds(1), cancellationToken))
        {
            report.Count("devices", 0, existing);
            report.Note($"no SNMP agent answered on {SnmpProbe.Local}: {missing.Count} devices were not registered (networking would poll them "
                + "and mark them down). Start snmpd there (docs/demo-data.md) and seed again to add them.");
            progress($"devices: skipped, no SNMP agent on {SnmpProbe.Local}");
            return;
        }
        foreach (var device in missing)
        {
            await client.PostAsync<Device>("/api/v1/networking/devices", new RegisterDevice(device.Name, SnmpProbe.Local.Address.ToString(),
                new SnmpSettings("v2c", SnmpProbe.Local.Port, DemoIsp.SnmpCommunity), device.Site, 60), cancellationToken);
        }
        report.Count("devices", missing.Count, existing);
        progress($"devices: {missing.Count} created (polling {SnmpProbe.Local}), {existing} existing");
    }
}
