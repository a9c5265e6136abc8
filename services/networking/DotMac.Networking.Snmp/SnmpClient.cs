using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using DotMac.Networking.Snmp.Transport;
using DotMac.Networking.Snmp.Usm;

namespace DotMac.Networking.Snmp;

/// <summary>
/// An SNMP manager: GET, GETNEXT, GETBULK, SET and walks over v1, v2c and v3/USM. Any number of concurrent requests to
/// any number of agents share a few UDP sockets; each response finds its request by request-id (v3: msgID) and must
/// come from the address the request went to. Thread-safe; one instance per process is plenty.
/// </summary>
public sealed class SnmpClient : IDisposable
{
    readonly SnmpClientOptions _options;
    readonly UdpChannel[] _channels;
    readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    readonly UsmEngines _usm = new();
    int _nextId = Random.Shared.Next(1, 1 << 30);

    public SnmpClient(SnmpClientOptions? options = null)
    {
        _options = options ?? new SnmpClientOptions();
        _channels = new UdpChannel[Math.Max(1, _options.SocketCount)];
        for (var i = 0; i < _channels.Length; i++)
            _channels[i] = new UdpChannel(UdpChannel.AnyEndPoint(), OnDatagram);
    }

    public SnmpClientOptions Options => _options;

    public Task<IReadOnlyList<VarBind>> GetAsync(SnmpTarget target, IEnumerable<Oid> oids, CancellationToken cancellationToken = default) =>
        RequestAsync(target, PduType.GetRequest, 0, 0, Requests(oids), cancellationToken);

    public async Task<VarBind> GetAsync(SnmpTarget target, Oid oid, CancellationToken cancellationToken = default) =>
        (await GetAsync(target, [oid], cancellationToken))[0];

    public Task<IReadOnlyList<VarBind>> GetNextAsync(SnmpTarget target, IEnumerable<Oid> oids, CancellationToken cancellationToken = default) =>
        RequestAsync(target, PduType.GetNextRequest, 0, 0, Requests(oids), cancellationToken);

    public Task<IReadOnlyList<VarBind>> GetBulkAsync(SnmpTarget target, int nonRepeaters, int maxRepetitions, IEnumerable<Oid> oids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Version == SnmpVersion.V1)
            throw new NotSupportedException("GETBULK does not exist in SNMPv1");
        return RequestAsync(target, PduType.GetBulkRequest, nonRepeaters, maxRepetitions, Requests(oids), cancellationToken);
    }

    public Task<IReadOnlyList<VarBind>> SetAsync(SnmpTarget target, IEnumerable<VarBind> varBinds, CancellationToken cancellationToken = default) =>
        RequestAsync(target, PduType.SetRequest, 0, 0, [.. varBinds], cancellationToken);

    /// <summary>
    /// Every variable under <paramref name="root"/> in order: GETBULK for v2c/v3, GETNEXT for v1. Stops at the end of
    /// the subtree or of the MIB; an agent that answers with a non-increasing OID is an error (it would loop forever).
    /// </summary>
    public async IAsyncEnumerable<VarBind> WalkAsync(SnmpTarget target, Oid root, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(root);
        var current = root;
        var repetitions = Math.Max(1, _options.MaxRepetitions);
        while (true)
        {
            IReadOnlyList<VarBind> page;
            if (target.Version == SnmpVersion.V1)
            {
                try
                {
                    page = await GetNextAsync(target, [current], cancellationToken);
                }
                catch (SnmpErrorStatusException e) when (e.Status == SnmpErrorStatus.NoSuchName)
                {
                    yield break; // v1's end of the MIB
                }
            }
            else
            {
                try
                {
                    page = await GetBulkAsync(target, 0, repetitions, [current], cancellationToken);
                }
                catch (SnmpErrorStatusException e) when (e.Status == SnmpErrorStatus.TooBig && repetitions > 1)
                {
                    repetitions /= 2;
                    continue;
                }
            }
            if (page.Count == 0)
                yield break;
            foreach (var vb in page)
            {
                if (vb.Value.Type == SnmpType.EndOfMibView || !vb.Oid.StartsWith(root) || vb.Oid.Equals(root))
                    yield break;
                if (vb.Oid <= current)
                    throw new SnmpException($"{target} answered {vb.Oid} after {current}: OIDs must increase during a walk");
                current = vb.Oid;
                yield return vb;
            }
        }
    }

    public async Task<List<VarBind>> WalkToListAsync(SnmpTarget target, Oid root, CancellationToken cancellationToken = default)
    {
        var list = new List<VarBind>();
        await foreach (var vb in WalkAsync(target, root, cancellationToken))
            list.Add(vb);
        return list;
    }

    async Task<IReadOnlyList<VarBind>> RequestAsync(SnmpTarget target, PduType type, int errorStatus, int errorIndex, VarBind[] varBinds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var response = target switch
        {
            CommunityTarget community => await SendCommunityAsync(community, type, errorStatus, errorIndex, varBinds, cancellationToken),
            UsmTarget usm => await SendUsmAsync(usm, type, errorStatus, errorIndex, varBinds, cancellationToken),
            _ => throw new ArgumentException($"Unknown target kind {target.GetType().Name}", nameof(target)),
        };
        if (response.Type != PduType.Response)
            throw new SnmpDecodeException($"{target} answered with a {response.Type} instead of a Response");
        if (response.ErrorStatus != 0)
            throw new SnmpErrorStatusException((SnmpErrorStatus)response.ErrorStatus, response.ErrorIndex);
        return response.VarBinds;
    }

    async Task<SnmpPdu> SendCommunityAsync(CommunityTarget target, PduType type, int errorStatus, int errorIndex, VarBind[] varBinds, CancellationToken cancellationToken)
    {
        var community = Encoding.UTF8.GetBytes(target.Community);
        var id = NextId();
        var request = new CommunityMessage(target.Version, community, new SnmpPdu(type, id, errorStatus, errorIndex, varBinds));
        var answer = await ExchangeAsync(target, id, request.Encode(), cancellationToken);
        var response = CommunityMessage.Decode(answer);
        if (response.Version != target.Version || !response.Community.AsSpan().SequenceEqual(community))
            throw new SnmpDecodeException($"{target} answered with another version or community");
        return response.Pdu;
    }

    async Task<SnmpPdu> SendUsmAsync(UsmTarget target, PduType type, int errorStatus, int errorIndex, VarBind[] varBinds, CancellationToken cancellationToken)
    {
        var session = await _usm.SessionAsync(this, target, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var id = NextId();
            var pdu = new SnmpPdu(type, id, errorStatus, errorIndex, varBinds);
            var datagram = UsmExchange.BuildRequest(session, target, id, pdu);
            var answer = await ExchangeAsync(target, id, datagram, cancellationToken);
            var outcome = UsmExchange.ReadResponse(session, target, answer);
            if (outcome.Pdu is { } response)
                return response;
            if (attempt >= 1 || outcome.Retry == UsmRetry.None)
                throw outcome.Error!;
            if (outcome.Retry == UsmRetry.Rediscover)
                await _usm.RediscoverAsync(this, target, session, cancellationToken);
        }
    }

    /// <summary>Sends and retransmits one datagram until the response with <paramref name="id"/> arrives from the target.</summary>
    internal async Task<byte[]> ExchangeAsync(SnmpTarget target, int id, byte[] datagram, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(target.EndPoint);
        if (!_pending.TryAdd(id, pending))
            throw new InvalidOperationException("request-id collision"); // NextId skips ids in flight
        try
        {
            var channel = _channels[(id & int.MaxValue) % _channels.Length];
            var timeout = target.Timeout ?? _options.Timeout;
            var attempts = 1 + Math.Max(0, target.Retries ?? _options.Retries);
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                await channel.SendAsync(datagram, target.EndPoint, cancellationToken);
                try
                {
                    return await pending.Completion.Task.WaitAsync(timeout, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // retransmit the same datagram: a late answer to an earlier copy still matches
                }
            }
            throw new SnmpTimeoutException($"No response from {target} after {attempts} attempts of {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    internal int NextId()
    {
        while (true)
        {
            var id = Interlocked.Increment(ref _nextId) & int.MaxValue;
            if (id != 0 && !_pending.ContainsKey(id))
                return id;
        }
    }

    void OnDatagram(ReadOnlyMemory<byte> datagram, IPEndPoint from)
    {
        if (!MessageKey.TryRead(datagram.Span, out var key) || !_pending.TryGetValue(key, out var pending))
            return; // late, duplicate, foreign or garbage: nobody waits for it
        if (!pending.From.Address.Equals(from.Address) || pending.From.Port != from.Port)
            return; // an answer must come from where the request went
        pending.Completion.TrySetResult(datagram.ToArray());
    }

    static VarBind[] Requests(IEnumerable<Oid> oids)
    {
        ArgumentNullException.ThrowIfNull(oids);
        return [.. oids.Select(VarBind.Request)];
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        foreach (var pending in _pending.Values)
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(SnmpClient)));
    }

    sealed class PendingRequest(IPEndPoint to)
    {
        public IPEndPoint From { get; } = UdpChannel.Normalise(to);

        public TaskCompletionSource<byte[]> Completion { get; } = new();
    }
}
