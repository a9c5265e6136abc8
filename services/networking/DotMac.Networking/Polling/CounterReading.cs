namespace DotMac.Networking.Polling;

/// <summary>The last counter values read from one interface, with the agent's sysUpTime and our clock at the time.</summary>
internal readonly record struct CounterReading(ulong InOctets, ulong OutOctets, uint UpTime, long Timestamp);
