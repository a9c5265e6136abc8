namespace DotMac.Networking.Snmp.Usm;

/// <summary>A v3 answer read: the response PDU, or an error and whether trying again could help.</summary>
internal sealed record UsmOutcome(SnmpPdu? Pdu, SnmpException? Error, UsmRetry Retry)
{
    public static UsmOutcome Success(SnmpPdu pdu) => new(pdu, null, UsmRetry.None);

    public static UsmOutcome Fail(SnmpException error, UsmRetry retry = UsmRetry.None) => new(null, error, retry);
}
