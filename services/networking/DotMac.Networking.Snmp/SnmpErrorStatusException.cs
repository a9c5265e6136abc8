namespace DotMac.Networking.Snmp;

/// <summary>The agent answered with a non-zero error-status (noSuchName, tooBig, notWritable, ...).</summary>
public sealed class SnmpErrorStatusException : SnmpException
{
    public SnmpErrorStatusException() { }

    public SnmpErrorStatusException(string message) : base(message) { }

    public SnmpErrorStatusException(string message, Exception innerException) : base(message, innerException) { }

    public SnmpErrorStatusException(SnmpErrorStatus status, int index)
        : base($"The agent answered {status} (error-index {index})")
    {
        Status = status;
        Index = index;
    }

    public SnmpErrorStatus Status { get; }

    public int Index { get; }
}
