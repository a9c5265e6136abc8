namespace DotMac.Networking.Polling;

/// <summary>One interface's traffic over one poll interval.</summary>
public readonly record struct InterfaceSample(
    Guid TenantId,
    Guid InterfaceId,
    DateTimeOffset SampledAt,
    double InBps,
    double OutBps,
    long InOctets,
    long OutOctets,
    float IntervalSeconds);
