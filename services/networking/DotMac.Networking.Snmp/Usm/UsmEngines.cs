using System.Collections.Concurrent;
using System.Net;

namespace DotMac.Networking.Snmp.Usm;

/// <summary>
/// The engines a client has discovered (RFC 3414 section 4), one session per agent and user, and the users' Ku
/// (one megabyte of hashing each), computed once per password however many agents share it.
/// </summary>
internal sealed class UsmEngines
{
    readonly ConcurrentDictionary<(IPEndPoint, UsmUser), UsmSession> _sessions = new();
    readonly ConcurrentDictionary<(AuthProtocol, string), byte[]> _ku = new();

    public async Task<UsmSession> SessionAsync(SnmpClient client, UsmTarget target, CancellationToken cancellationToken)
    {
        var session = _sessions.GetOrAdd((target.EndPoint, target.User), static (key) =>
        {
            key.Item2.Validate();
            return new UsmSession(key.Item2);
        });
        if (session.EngineId is not null)
            return session;
        await session.Discovery.WaitAsync(cancellationToken);
        try
        {
            if (session.EngineId is null)
                await DiscoverAsync(client, target, session, cancellationToken);
        }
        finally
        {
            session.Discovery.Release();
        }
        return session;
    }

    public async Task RediscoverAsync(SnmpClient client, UsmTarget target, UsmSession session, CancellationToken cancellationToken)
    {
        session.Forget();
        await SessionAsync(client, target, cancellationToken);
    }

    // A noAuthNoPriv, reportable GET with an empty engine ID: the agent's usmStatsUnknownEngineIDs report carries its
    // engine ID, boots and time (net-snmp fills both in, so no second, authenticated round trip is needed).
    async Task DiscoverAsync(SnmpClient client, UsmTarget target, UsmSession session, CancellationToken cancellationToken)
    {
        var id = client.NextId();
        var probe = new UsmMessage
        {
            MessageId = id,
            Flags = UsmMessage.ReportableFlag,
            Data = UsmMessage.EncodeScopedPdu([], [], new SnmpPdu(PduType.GetRequest, id, 0, 0, [])),
        };
        var answer = UsmMessage.Decode(await client.ExchangeAsync(target, id, probe.Encode(), cancellationToken));
        if (answer.EngineId.Length == 0)
            throw new SnmpException($"{target} did not reveal its engine ID");
        var user = target.User;
        byte[]? authKey = null, privKey = null;
        if (user.Authenticates)
        {
            authKey = UsmCrypto.Localize(user.Auth, Ku(user.Auth, user.AuthPassword!), answer.EngineId);
            if (user.Encrypts)
                privKey = UsmCrypto.ExtendPrivKey(user.Auth, user.Priv, UsmCrypto.Localize(user.Auth, Ku(user.Auth, user.PrivPassword!), answer.EngineId));
        }
        session.SetEngine(answer.EngineId, authKey, privKey);
        session.Synchronise(answer.EngineBoots, answer.EngineTime);
    }

    byte[] Ku(AuthProtocol protocol, string password) =>
        _ku.GetOrAdd((protocol, password), static key => UsmCrypto.PasswordToKey(key.Item1, key.Item2));
}
