using System.Net;
using DotMac.Networking.Snmp;

namespace DotMac.Bench;

/// <summary>What DevicePoller does per device, against the simulator's devices: GETs of 30 varbinds, rates from the last reading.</summary>
internal sealed class SimulatedPoller(SnmpClient client, int[] ports, int interfaces)
{
    readonly Dictionary<(int Device, uint Index), (ulong In, ulong Out, uint UpTime, DateTime At)> _last = [];
    readonly Lock _gate = new();
    int _errors;

    public int Errors => _errors;

    public async Task<int> CycleAsync(int maxConcurrent)
    {
        using var slots = new SemaphoreSlim(maxConcurrent);
        var rates = 0;
        await Task.WhenAll(ports.Select(async (port, device) =>
        {
            await slots.WaitAsync();
            try
            {
                Interlocked.Add(ref rates, await PollAsync(device, new CommunityTarget(new IPEndPoint(IPAddress.Loopback, port), "public")));
            }
            catch (SnmpException)
            {
                Interlocked.Increment(ref _errors);
            }
            finally
            {
                slots.Release();
            }
        }));
        return rates;
    }

    async Task<int> PollAsync(int device, SnmpTarget target)
    {
        var oids = new List<Oid> { Mib.SysUpTime };
        for (var i = 1u; i <= interfaces; i++)
            oids.AddRange([Mib.IfHCInOctets.Append(i), Mib.IfHCOutOctets.Append(i), Mib.IfOperStatus.Append(i)]);
        var answers = (await Task.WhenAll(oids.Chunk(30).Select(chunk => client.GetAsync(target, chunk)))).SelectMany(a => a).ToDictionary(v => v.Oid, v => v.Value);
        var upTime = (uint)answers[Mib.SysUpTime].ToUInt64();
        var now = DateTime.UtcNow;
        var rates = 0;
        lock (_gate)
        {
            for (var i = 1u; i <= interfaces; i++)
            {
                var reading = (answers[Mib.IfHCInOctets.Append(i)].ToUInt64(), answers[Mib.IfHCOutOctets.Append(i)].ToUInt64(), upTime, now);
                if (_last.TryGetValue((device, i), out var previous) && !CounterMath.Restarted(previous.UpTime, upTime, now - previous.At))
                {
                    var elapsed = now - previous.At;
                    _ = CounterMath.BitsPerSecond(CounterMath.Delta64(previous.In, reading.Item1), elapsed) + CounterMath.BitsPerSecond(CounterMath.Delta64(previous.Out, reading.Item2), elapsed);
                    rates++;
                }
                _last[(device, i)] = reading;
            }
        }
        return rates;
    }
}
