using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

public class CounterMathTests
{
    [Test]
    public void A_counter32_that_wrapped_between_two_polls_still_gives_the_traffic()
    {
        // ifInOctets of a 10 Gbit/s port at 2/3 load wraps every ~5 minutes: 4,294,000,000 then 2,500,000,000 300 s later.
        var delta = CounterMath.Delta32(4_294_000_000, 2_500_000_000);

        Assert.That(delta, Is.EqualTo(2_500_967_296UL)); // 4,294,967,296 - 4,294,000,000 + 2,500,000,000
        Assert.That(CounterMath.BitsPerSecond(delta, TimeSpan.FromSeconds(300)), Is.EqualTo(66_692_461.226).Within(0.001));
    }

    [Test]
    public void A_counter32_that_did_not_wrap_is_a_plain_difference()
    {
        Assert.That(CounterMath.Delta32(296_048, 311_118), Is.EqualTo(15_070UL));
        Assert.That(CounterMath.Delta32(7, 7), Is.EqualTo(0UL));
    }

    [Test]
    public void A_counter64_wraps_at_two_to_the_sixty_fourth()
    {
        Assert.That(CounterMath.Delta64(18_446_744_073_709_551_000, 1_384), Is.EqualTo(2_000UL));
        Assert.That(CounterMath.Delta64(56_519_814, 211_420_593), Is.EqualTo(154_900_779UL));
    }

    [Test]
    public void Sys_up_time_going_back_means_the_agent_restarted()
    {
        Assert.That(CounterMath.Restarted(8_640_000, 1_205, TimeSpan.FromSeconds(60)), Is.True, "a day up, then 12 s up");
        Assert.That(CounterMath.Restarted(8_640_000, 8_646_000, TimeSpan.FromSeconds(60)), Is.False);
    }

    [Test]
    public void Sys_up_time_wrapping_after_497_days_is_not_a_restart()
    {
        // 4,294,965,000 ticks, then 60 s (6,000 ticks) later: 4,294,971,000 - 4,294,967,296 = 3,704 after the wrap.
        Assert.That(CounterMath.Restarted(4_294_965_000, 3_704, TimeSpan.FromSeconds(60)), Is.False);
        Assert.That(CounterMath.Restarted(4_294_965_000, 3_000_000, TimeSpan.FromSeconds(60)), Is.True, "far from where a wrap would land");
    }
}
