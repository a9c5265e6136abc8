using System.Text;

namespace DotMac.Networking.Snmp.Usm;

/// <summary>Builds an outgoing v3 request and reads its answer: digest, decryption, timeliness and USM reports.</summary>
internal static class UsmExchange
{
    static readonly Oid UsmStats = Oid.Parse("1.3.6.1.6.3.15.1.1");

    public static byte[] BuildRequest(UsmSession session, UsmTarget target, int id, SnmpPdu pdu)
    {
        var user = target.User;
        var engineId = session.EngineId ?? throw new InvalidOperationException("The engine is not discovered yet");
        var (boots, time) = session.Now();
        var data = UsmMessage.EncodeScopedPdu(engineId, Encoding.UTF8.GetBytes(target.ContextName), pdu);
        byte[] privParameters = [];
        var flags = UsmMessage.ReportableFlag;
        if (user.Authenticates)
            flags |= UsmMessage.AuthFlag;
        if (user.Encrypts)
        {
            flags |= UsmMessage.PrivFlag;
            data = UsmCrypto.Encrypt(user.Priv, session.PrivKey!, boots, time, session.NextSalt(), data, out privParameters);
        }
        var message = new UsmMessage
        {
            MessageId = id,
            Flags = flags,
            EngineId = engineId,
            EngineBoots = boots,
            EngineTime = time,
            UserName = Encoding.UTF8.GetBytes(user.Name),
            AuthParameters = new byte[UsmCrypto.MacLength(user.Auth)],
            PrivParameters = privParameters,
            Data = data,
        };
        return user.Authenticates ? message.EncodeSigned(user.Auth, session.AuthKey!) : message.Encode();
    }

    public static UsmOutcome ReadResponse(UsmSession session, UsmTarget target, byte[] answer)
    {
        var user = target.User;
        var message = UsmMessage.Decode(answer);
        if (message.Authenticated)
        {
            if (!user.Authenticates || session.AuthKey is null || !UsmMessage.VerifyDigest(user.Auth, session.AuthKey, answer, message))
                return UsmOutcome.Fail(new SnmpAuthenticationException($"The answer from {target} failed authentication (its digest does not verify with our key)"));
            session.Advance(message.EngineBoots, message.EngineTime);
        }
        var plaintext = message.Data;
        if (message.Encrypted)
        {
            if (!message.Authenticated || !user.Encrypts)
                throw new SnmpDecodeException($"{target} sent an encrypted answer we cannot decrypt");
            plaintext = UsmCrypto.Decrypt(user.Priv, session.PrivKey!, message.EngineBoots, message.EngineTime, message.PrivParameters, message.Data);
        }
        SnmpPdu pdu;
        try
        {
            pdu = UsmMessage.DecodeScopedPdu(plaintext).Pdu;
        }
        catch (SnmpDecodeException e) when (message.Encrypted)
        {
            return UsmOutcome.Fail(new SnmpAuthenticationException($"The answer from {target} does not decrypt: a wrong privacy password or protocol", e));
        }
        if (pdu.Type == PduType.Report)
            return Report(session, target, message, pdu);
        if (user.Authenticates && !message.Authenticated)
            return UsmOutcome.Fail(new SnmpAuthenticationException($"{target} answered without authentication"));
        return UsmOutcome.Success(pdu);
    }

    static UsmOutcome Report(UsmSession session, UsmTarget target, UsmMessage message, SnmpPdu pdu)
    {
        var oid = pdu.VarBinds.Count > 0 ? pdu.VarBinds[0].Oid : null;
        var counter = oid is not null && oid.StartsWith(UsmStats) && oid.Length > UsmStats.Length ? oid[UsmStats.Length] : 0u;
        var user = target.User;
        switch (counter)
        {
            case 1:
                return UsmOutcome.Fail(new SnmpAuthenticationException($"{target} refuses the security level of user {user.Name} (usmStatsUnsupportedSecLevels)"));
            case 2:
                session.Synchronise(message.EngineBoots, message.EngineTime);
                return UsmOutcome.Fail(new SnmpException($"{target} keeps reporting our messages outside its time window (usmStatsNotInTimeWindows)"), UsmRetry.Resynchronised);
            case 3:
                return UsmOutcome.Fail(new SnmpAuthenticationException($"{target} does not know user {user.Name} (usmStatsUnknownUserNames)"));
            case 4:
                return UsmOutcome.Fail(new SnmpException($"{target} does not know the engine ID we used (usmStatsUnknownEngineIDs)"), UsmRetry.Rediscover);
            case 5:
                return UsmOutcome.Fail(new SnmpAuthenticationException($"Authentication failed at {target}: wrong authentication password or protocol for user {user.Name} (usmStatsWrongDigests)"));
            case 6:
                return UsmOutcome.Fail(new SnmpAuthenticationException($"{target} could not decrypt our message: wrong privacy password or protocol for user {user.Name} (usmStatsDecryptionErrors)"));
            default:
                return UsmOutcome.Fail(new SnmpException($"{target} answered with a report: {(pdu.VarBinds.Count > 0 ? pdu.VarBinds[0].ToString() : "(empty)")}"));
        }
    }
}
