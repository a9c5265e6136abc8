namespace DotMac.Networking.Snmp;

/// <summary>No answer after every retry: the agent is down, unreachable, or silently dropped a wrong community.</summary>
public sealed class SnmpTimeoutException : SnmpException
{
    public SnmpTimeoutException() { }

    public SnmpTimeoutException(string message) : base(message) { }

    public SnmpTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
