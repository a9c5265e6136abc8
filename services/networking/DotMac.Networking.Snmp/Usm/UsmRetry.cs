namespace DotMac.Networking.Snmp.Usm;

/// <summary>What a USM report asks the sender to do before trying again.</summary>
internal enum UsmRetry
{
    None,
    Resynchronised,
    Rediscover,
}
