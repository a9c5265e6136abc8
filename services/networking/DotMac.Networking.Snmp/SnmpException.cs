namespace DotMac.Networking.Snmp;

/// <summary>Every failure the engine reports derives from this, so callers can catch SNMP problems in one place.</summary>
public class SnmpException : Exception
{
    public SnmpException() { }

    public SnmpException(string message) : base(message) { }

    public SnmpException(string message, Exception innerException) : base(message, innerException) { }
}
