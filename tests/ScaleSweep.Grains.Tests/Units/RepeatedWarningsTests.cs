using ScaleSweep.Grains.Telemetry;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

public class RepeatedWarningsTests
{
    private static readonly DateTimeOffset T0 = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void A_condition_is_logged_once_per_period_with_the_repeats_in_between()
    {
        var clock = new ManualClock(T0);
        var warnings = new RepeatedWarnings(clock, TimeSpan.FromSeconds(30));

        Assert.True(warnings.ShouldLog("renew:s1", out var first));
        Assert.Equal(0, first);
        // A failover: the same call fails every 200 ms for 20 s.
        for (var i = 0; i < 100; i++)
        {
            clock.Now += TimeSpan.FromMilliseconds(200);
            Assert.False(warnings.ShouldLog("renew:s1", out _));
        }
        // Another condition is its own.
        Assert.True(warnings.ShouldLog("renew:s2", out _));

        clock.Now = T0 + TimeSpan.FromSeconds(30);
        Assert.True(warnings.ShouldLog("renew:s1", out var repeats));
        Assert.Equal(100, repeats);
        Assert.Equal(" (and 100 more times since the last warning)", RepeatedWarnings.Suffix(repeats));
        Assert.Equal("", RepeatedWarnings.Suffix(0));
    }
}
