namespace DotMac.Networking.Snmp;

/// <summary>SNMPv3 authentication failed: a wrong password (usmStatsWrongDigests), an unknown user, or a response
/// whose digest does not verify.</summary>
public sealed class SnmpAuthenticationException : SnmpException
{
    public SnmpAuthenticationException() { }

    public SnmpAuthenticationException(string message) : base(message) { }

    public SnmpAuthenticationException(string message, Exception innerException) : base(message, innerException) { }
}
