using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using DotMac.Networking.Snmp.Transport;
using DotMac.Networking.Snmp.Usm;

namespace DotMac.Networking.Snmp.Traps;

/// <summary>
/// Receives notifications on one UDP endpoint: v1 traps, v2c traps and informs, v3 traps (the sender's engine is
/// authoritative, keys are localised to it) and v3 informs (ours is: it answers engine discovery with a report, checks
/// the time window, and acknowledges with an authenticated, encrypted Response). Anything malformed, unauthenticated
/// or from an unknown community or user is dropped and counted; nothing a sender does can stop the loop.
/// </summary>
public sealed class TrapListener : IDisposable
{
    static readonly Oid UsmStats = Oid.Parse("1.3.6.1.6.3.15.1.1");
    const int EngineBoots = 1; // no persistent boot counter: informs carry our boots/time from the discovery report

    readonly HashSet<string> _communities;
    readonly Dictionary<string, UsmUser> _users;
    readonly ConcurrentDictionary<(string Engine, string User), (byte[]? Auth, byte[]? Priv)> _keys = new();
    readonly ConcurrentDictionary<(AuthProtocol, string), byte[]> _ku = new();
    readonly Channel<ReceivedTrap> _traps;
    readonly long _started = Stopwatch.GetTimestamp();
    readonly UdpChannel _channel;
    long _dropped;
    long _salt = Random.Shared.NextInt64();
    uint _unknownEngineIds;
    uint _notInTimeWindows;

    public TrapListener(TrapListenerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var user in options.Users)
            user.Validate();
        _communities = [.. options.Communities];
        _users = options.Users.ToDictionary(u => u.Name);
        EngineId = options.EngineId ?? NewEngineId();
        _traps = Channel.CreateBounded<ReceivedTrap>(new BoundedChannelOptions(Math.Max(1, options.Capacity)) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
        _channel = new UdpChannel(options.EndPoint, OnDatagram);
    }

    public IPEndPoint LocalEndPoint => _channel.LocalEndPoint;

    public byte[] EngineId { get; }

    public ChannelReader<ReceivedTrap> Traps => _traps.Reader;

    /// <summary>Datagrams dropped: malformed, unknown community or user, failed authentication, or a full queue.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    int EngineTime => (int)Stopwatch.GetElapsedTime(_started).TotalSeconds;

    static byte[] NewEngineId()
    {
        // RFC 3411 SnmpEngineID format 5 (octets, administratively assigned) under enterprise 0.
        var id = new byte[13];
        id[0] = 0x80;
        id[4] = 5;
        RandomNumberGenerator.Fill(id.AsSpan(5));
        return id;
    }

    void OnDatagram(ReadOnlyMemory<byte> datagram, IPEndPoint from)
    {
        try
        {
            if (CommunityMessage.PeekVersion(datagram.Span) == SnmpVersion.V3)
                HandleUsm(datagram.Span, from);
            else
                HandleCommunity(datagram.Span, from);
        }
        catch (SnmpDecodeException)
        {
            Interlocked.Increment(ref _dropped);
        }
        catch (CryptographicException)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    void HandleCommunity(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        var message = CommunityMessage.Decode(datagram);
        if (!_communities.Contains(message.CommunityText))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var pdu = message.Pdu;
        switch (pdu.Type)
        {
            case PduType.TrapV1:
                Publish(FromV1(from, message.CommunityText, pdu));
                break;
            case PduType.TrapV2:
                Publish(FromV2(from, message.Version, false, message.CommunityText, pdu));
                break;
            case PduType.InformRequest:
                var response = new CommunityMessage(message.Version, message.Community, pdu with { Type = PduType.Response, ErrorStatus = 0, ErrorIndex = 0 });
                _channel.Send(response.Encode(), from);
                Publish(FromV2(from, message.Version, true, message.CommunityText, pdu));
                break;
            default:
                Interlocked.Increment(ref _dropped);
                break;
        }
    }

    void HandleUsm(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        var message = UsmMessage.Decode(datagram);
        var reportable = (message.Flags & UsmMessage.ReportableFlag) != 0;
        if (message.EngineId.Length == 0)
        {
            // engine discovery before an inform: tell the sender who we are
            if (reportable && !message.Encrypted)
                Report(message, UsmMessage.DecodeScopedPdu(message.Data).Pdu.RequestId, 4, ++_unknownEngineIds, null, null);
            else
                Interlocked.Increment(ref _dropped);
            return;
        }
        if (!_users.TryGetValue(Encoding.UTF8.GetString(message.UserName), out var user)
            || message.Authenticated != user.Authenticates || (message.Encrypted && !user.Encrypts))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var (authKey, privKey) = Keys(message.EngineId, user);
        if (message.Authenticated && !UsmMessage.VerifyDigest(user.Auth, authKey!, datagram, message))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var plaintext = message.Encrypted
            ? UsmCrypto.Decrypt(user.Priv, privKey!, message.EngineBoots, message.EngineTime, message.PrivParameters, message.Data)
            : message.Data;
        var scoped = UsmMessage.DecodeScopedPdu(plaintext);
        if (scoped.Pdu.Type == PduType.TrapV2)
        {
            Publish(FromV2(from, SnmpVersion.V3, false, user.Name, scoped.Pdu)); // the sender's engine is authoritative
            return;
        }
        // Anything else (an inform, or the sender's time-synchronisation probe) addresses our engine.
        if (!message.EngineId.AsSpan().SequenceEqual(EngineId))
        {
            if (reportable)
                Report(message, scoped.Pdu.RequestId, 4, ++_unknownEngineIds, null, null);
            return;
        }
        if (message.Authenticated && (message.EngineBoots != EngineBoots || Math.Abs(message.EngineTime - EngineTime) > 150))
        {
            if (reportable)
                Report(message, scoped.Pdu.RequestId, 2, ++_notInTimeWindows, user, authKey);
            return;
        }
        if (scoped.Pdu.Type != PduType.InformRequest)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        Acknowledge(message, scoped, user, authKey, privKey);
        Publish(FromV2(from, SnmpVersion.V3, true, user.Name, scoped.Pdu));

        void Acknowledge(UsmMessage request, ScopedPdu inform, UsmUser informer, byte[]? auth, byte[]? priv)
        {
            var time = EngineTime;
            var data = UsmMessage.EncodeScopedPdu(inform.ContextEngineId, inform.ContextName, inform.Pdu with { Type = PduType.Response, ErrorStatus = 0, ErrorIndex = 0 });
            byte[] privParameters = [];
            if (request.Encrypted)
                data = UsmCrypto.Encrypt(informer.Priv, priv!, EngineBoots, time, unchecked((ulong)Interlocked.Increment(ref _salt)), data, out privParameters);
            var response = new UsmMessage
            {
                MessageId = request.MessageId,
                Flags = (byte)(request.Flags & (UsmMessage.AuthFlag | UsmMessage.PrivFlag)),
                EngineId = EngineId,
                EngineBoots = EngineBoots,
                EngineTime = time,
                UserName = request.UserName,
                AuthParameters = new byte[UsmCrypto.MacLength(informer.Auth)],
                PrivParameters = privParameters,
                Data = data,
            };
            _channel.Send(request.Authenticated ? response.EncodeSigned(informer.Auth, auth!) : response.Encode(), from);
        }

        // A report (RFC 3414 3.1.1 / 3.2): unauthenticated, except usmStatsNotInTimeWindows, which is signed so the
        // sender may trust the boots/time it carries.
        void Report(UsmMessage request, int requestId, uint counter, uint count, UsmUser? signer, byte[]? key)
        {
            var pdu = new SnmpPdu(PduType.Report, requestId, 0, 0, [new VarBind(UsmStats.Append(counter, 0), SnmpValue.Counter32(count))]);
            var report = new UsmMessage
            {
                MessageId = request.MessageId,
                Flags = signer is null ? (byte)0 : UsmMessage.AuthFlag,
                EngineId = EngineId,
                EngineBoots = EngineBoots,
                EngineTime = EngineTime,
                UserName = signer is null ? [] : request.UserName,
                AuthParameters = signer is null ? [] : new byte[UsmCrypto.MacLength(signer.Auth)],
                Data = UsmMessage.EncodeScopedPdu(EngineId, [], pdu),
            };
            _channel.Send(signer is null ? report.Encode() : report.EncodeSigned(signer.Auth, key!), from);
        }
    }

    (byte[]? Auth, byte[]? Priv) Keys(byte[] engineId, UsmUser user) =>
        _keys.GetOrAdd((Convert.ToHexString(engineId), user.Name), _ =>
        {
            if (!user.Authenticates)
                return (null, null);
            var auth = UsmCrypto.Localize(user.Auth, Ku(user.Auth, user.AuthPassword!), engineId);
            var priv = user.Encrypts
                ? UsmCrypto.ExtendPrivKey(user.Auth, user.Priv, UsmCrypto.Localize(user.Auth, Ku(user.Auth, user.PrivPassword!), engineId))
                : null;
            return (auth, priv);
        });

    byte[] Ku(AuthProtocol protocol, string password) =>
        _ku.GetOrAdd((protocol, password), static key => UsmCrypto.PasswordToKey(key.Item1, key.Item2));

    void Publish(ReceivedTrap trap) => _traps.Writer.TryWrite(trap);

    static ReceivedTrap FromV2(IPEndPoint from, SnmpVersion version, bool inform, string securityName, SnmpPdu pdu)
    {
        // RFC 3416 4.2.6: the first two varbinds are sysUpTime.0 and snmpTrapOID.0.
        if (pdu.VarBinds.Count < 2 || !pdu.VarBinds[0].Oid.Equals(Mib.SysUpTime) || pdu.VarBinds[0].Value.Type != SnmpType.TimeTicks
            || !pdu.VarBinds[1].Oid.Equals(Mib.SnmpTrapOid) || pdu.VarBinds[1].Value.Type != SnmpType.ObjectIdentifier)
            throw new SnmpDecodeException("A notification must start with sysUpTime.0 and snmpTrapOID.0");
        return new ReceivedTrap(from, version, inform, securityName, pdu.VarBinds[1].Value.ToOid(), (uint)pdu.VarBinds[0].Value.ToUInt64(),
            [.. pdu.VarBinds.Skip(2)], DateTimeOffset.UtcNow);
    }

    // RFC 3584 3.1: generic traps 0-5 become snmpTraps.(generic+1); enterprise-specific ones enterprise.0.specific.
    static ReceivedTrap FromV1(IPEndPoint from, string community, SnmpPdu pdu)
    {
        var trapOid = pdu.GenericTrap is >= 0 and < 6
            ? Oid.Parse("1.3.6.1.6.3.1.1.5").Append((uint)pdu.GenericTrap + 1)
            : (pdu.Enterprise ?? new Oid(0, 0)).Append(0, (uint)pdu.SpecificTrap);
        return new ReceivedTrap(from, SnmpVersion.V1, false, community, trapOid, pdu.TimeStamp, pdu.VarBinds, DateTimeOffset.UtcNow);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _traps.Writer.TryComplete();
    }
}
