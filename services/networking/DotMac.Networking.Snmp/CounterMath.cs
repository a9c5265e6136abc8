namespace DotMac.Networking.Snmp;

/// <summary>
/// Differences between two readings of a counter (RFC 2578 7.1.6/7.1.10: counters wrap to zero at 2^32 or 2^64 and
/// carry no meaning of their own) and what they mean per second.
/// </summary>
public static class CounterMath
{
    const ulong TwoPow32 = 1UL << 32;

    /// <summary>How far a Counter32 moved, assuming at most one wrap between the readings.</summary>
    public static ulong Delta32(uint previous, uint current) =>
        current >= previous ? current - (ulong)previous : TwoPow32 - previous + current;

    /// <summary>How far a Counter64 moved, assuming at most one wrap between the readings.</summary>
    public static ulong Delta64(ulong previous, ulong current) =>
        unchecked(current - previous); // modulo 2^64 is exactly the one-wrap difference

    /// <summary>
    /// True when the agent restarted between two readings of sysUpTime (TimeTicks, hundredths of a second): it went
    /// back, other than by its own wrap at 2^32 ticks (497 days) after about the time that passed. Counters restart
    /// from zero with the agent, so a delta across a restart means nothing and must be discarded.
    /// </summary>
    public static bool Restarted(uint previousUptime, uint currentUptime, TimeSpan elapsed)
    {
        if (currentUptime >= previousUptime)
            return false;
        var expected = previousUptime + (ulong)Math.Max(0, elapsed.TotalMilliseconds / 10);
        if (expected < TwoPow32)
            return true;
        var wrapped = expected - TwoPow32;
        var tolerance = Math.Max(3000UL, (ulong)(elapsed.TotalMilliseconds / 10 * 0.1)); // 30 s or 10 %
        return currentUptime + tolerance < wrapped || currentUptime > wrapped + tolerance;
    }

    /// <summary>Bits per second from an octet delta over an interval.</summary>
    public static double BitsPerSecond(ulong octets, TimeSpan interval) =>
        interval <= TimeSpan.Zero ? 0 : octets * 8.0 / interval.TotalSeconds;
}
