namespace DotMac.Networking.Snmp;

/// <summary>A malformed packet: the only exception decoding ever throws, whatever the bytes.</summary>
public sealed class SnmpDecodeException : SnmpException
{
    public SnmpDecodeException() { }

    public SnmpDecodeException(string message) : base(message) { }

    public SnmpDecodeException(string message, Exception innerException) : base(message, innerException) { }
}
