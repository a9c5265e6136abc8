namespace DotMac.Networking.Snmp;

/// <summary>How an <see cref="SnmpClient"/> sends: sockets shared by all requests, timeouts, retries, bulk size.</summary>
public sealed record SnmpClientOptions
{
    /// <summary>UDP sockets every request shares; responses are matched by request-id (v1/v2c) or msgID (v3).</summary>
    public int SocketCount { get; init; } = 2;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions after the first attempt.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>max-repetitions of each GETBULK a walk sends.</summary>
    public int MaxRepetitions { get; init; } = 25;
}
