using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using DotMac.Contracts.Networking;
using DotMac.Networking.Data;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Polling;

/// <summary>
/// One poll of one device: sysUpTime and each interface's octet counters (64-bit where the device has them) and
/// oper status in as few GETs as fit, bits/s from the previous reading (counter wrap handled, readings across an
/// agent restart discarded), samples written with binary COPY, and reachability transitions published.
/// </summary>
internal sealed class DevicePoller(NpgsqlDataSource db, SnmpClient snmp, CredentialProtector protector, SampleWriter samples,
    NetworkingEvents events, IOptions<PollingOptions> options, ILogger<DevicePoller> logger)
{
    const int VarBindsPerRequest = 30;
    readonly ConcurrentDictionary<Guid, CounterReading> _readings = new();

    public async Task PollAsync(DeviceRow device, CancellationToken stopping)
    {
        using var activity = DotMacTelemetry.Source.StartActivity("snmp poll");
        activity?.SetTag("dotmac.device.id", device.Id.ToString());
        activity?.SetTag("dotmac.tenant.id", device.TenantId.ToString());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        budget.CancelAfter(options.Value.DeviceTimeout + TimeSpan.FromSeconds(1));
        try
        {
            var target = DeviceTargets.For(device, device.Credentials!, protector, options.Value);
            var interfaces = await LoadInterfacesAsync(device, budget.Token);
            var values = await ReadAsync(target, interfaces, budget.Token);
            var collected = Samples(device, interfaces, values);
            await samples.WriteAsync(collected, budget.Token);
            await MarkAsync(device, up: true, null, stopping);
            NetworkingMetrics.Polls.Add(1, new KeyValuePair<string, object?>("result", "up"));
            NetworkingMetrics.Reachability[device.Id] = (true, Environment.TickCount64);
        }
        catch (Exception e) when (e is SnmpException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            NetworkingMetrics.Polls.Add(1, new KeyValuePair<string, object?>("result", "down"));
            NetworkingMetrics.Reachability[device.Id] = (false, Environment.TickCount64);
            await MarkAsync(device, up: false, e is SnmpException ? e.Message : "The poll exceeded the device timeout", stopping);
        }
        finally
        {
            NetworkingMetrics.PollDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    async Task<List<InterfaceRow>> LoadInterfacesAsync(DeviceRow device, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<InterfaceRow>(new CommandDefinition(InterfaceSql.ForDevice,
            new { device.TenantId, DeviceId = device.Id }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    async Task<Dictionary<Oid, SnmpValue>> ReadAsync(SnmpTarget target, List<InterfaceRow> interfaces, CancellationToken cancellationToken)
    {
        var oids = new List<Oid> { Mib.SysUpTime };
        foreach (var i in interfaces)
        {
            var index = (uint)i.IfIndex;
            oids.Add((i.HighCapacity ? Mib.IfHCInOctets : Mib.IfInOctets).Append(index));
            oids.Add((i.HighCapacity ? Mib.IfHCOutOctets : Mib.IfOutOctets).Append(index));
            oids.Add(Mib.IfOperStatus.Append(index));
        }
        var requests = oids.Chunk(VarBindsPerRequest).Select(chunk => snmp.GetAsync(target, chunk, cancellationToken));
        var answers = await Task.WhenAll(requests);
        return answers.SelectMany(a => a).Where(v => !v.Value.IsException).ToDictionary(v => v.Oid, v => v.Value);
    }

    List<InterfaceSample> Samples(DeviceRow device, List<InterfaceRow> interfaces, Dictionary<Oid, SnmpValue> values)
    {
        var result = new List<InterfaceSample>(interfaces.Count);
        if (!values.TryGetValue(Mib.SysUpTime, out var upTimeValue))
            return result;
        var upTime = (uint)upTimeValue.ToUInt64();
        var now = Stopwatch.GetTimestamp();
        var sampledAt = DateTimeOffset.UtcNow;
        foreach (var i in interfaces)
        {
            var index = (uint)i.IfIndex;
            if (!values.TryGetValue((i.HighCapacity ? Mib.IfHCInOctets : Mib.IfInOctets).Append(index), out var inValue)
                || !values.TryGetValue((i.HighCapacity ? Mib.IfHCOutOctets : Mib.IfOutOctets).Append(index), out var outValue))
                continue;
            var reading = new CounterReading(inValue.ToUInt64(), outValue.ToUInt64(), upTime, now);
            if (_readings.TryGetValue(i.Id, out var previous) && Sample(device, i, previous, reading, sampledAt) is { } sample)
                result.Add(sample);
            _readings[i.Id] = reading;
        }
        return result;
    }

    static InterfaceSample? Sample(DeviceRow device, InterfaceRow i, CounterReading previous, CounterReading current, DateTimeOffset sampledAt)
    {
        var elapsed = Stopwatch.GetElapsedTime(previous.Timestamp, current.Timestamp);
        if (elapsed <= TimeSpan.Zero || CounterMath.Restarted(previous.UpTime, current.UpTime, elapsed))
            return null; // counters started again from zero with the agent: this interval has no meaning
        var inDelta = i.HighCapacity ? CounterMath.Delta64(previous.InOctets, current.InOctets) : CounterMath.Delta32((uint)previous.InOctets, (uint)current.InOctets);
        var outDelta = i.HighCapacity ? CounterMath.Delta64(previous.OutOctets, current.OutOctets) : CounterMath.Delta32((uint)previous.OutOctets, (uint)current.OutOctets);
        return new InterfaceSample(device.TenantId, i.Id, sampledAt, CounterMath.BitsPerSecond(inDelta, elapsed), CounterMath.BitsPerSecond(outDelta, elapsed),
            (long)Math.Min(inDelta, long.MaxValue), (long)Math.Min(outDelta, long.MaxValue), (float)elapsed.TotalSeconds);
    }

    /// <summary>Records reachability; a change of state and its DeviceUp/DeviceDown commit together (outbox).</summary>
    async Task MarkAsync(DeviceRow device, bool up, string? error, CancellationToken cancellationToken)
    {
        var address = device.ManagementAddress.ToString();
        var changed = await events.CommitAsync(async (session, publish) =>
        {
            var previous = await session.Connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(up ? DeviceSql.MarkUp : DeviceSql.MarkDown,
                new { device.TenantId, device.Id, Error = error }, session.Transaction, cancellationToken: cancellationToken));
            if (previous is null || previous == (up ? "up" : "down"))
                return false;
            if (up)
                await publish.Publish(new DeviceUp(device.TenantId, device.Id, device.Name, address, DateTimeOffset.UtcNow), cancellationToken);
            else
                await publish.Publish(new DeviceDown(device.TenantId, device.Id, device.Name, address, error ?? "unreachable", DateTimeOffset.UtcNow), cancellationToken);
            return true;
        }, cancellationToken);
        if (!changed)
            return;
        if (up)
            logger.LogInformation("Device {Device} ({Address}) is up", device.Name, address);
        else
            logger.LogWarning("Device {Device} ({Address}) is down: {Error}", device.Name, address, error);
    }
}
