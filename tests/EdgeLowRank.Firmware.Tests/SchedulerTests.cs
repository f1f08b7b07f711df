using EdgeLowRank.Samples.ThermalBench.Scheduling;

namespace EdgeLowRank.Firmware.Tests;

public class SchedulerTests
{
    [Fact]
    public void Ticks_are_due_at_fixed_multiples_of_the_period_despite_work_time()
    {
        var clock = new FakeClock();
        var scheduler = new FixedRateScheduler(clock, 100);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(0, scheduler.WaitForNextTick(CancellationToken.None));
            clock.Advance(3_000 + i * 100); // work of varying length, always under the 10 ms period
        }
        Assert.Equal([0, 10_000, 20_000, 30_000, 40_000], clock.Sleeps);
    }

    [Fact]
    public void Falling_behind_skips_and_counts_the_missed_ticks_instead_of_bursting()
    {
        var clock = new FakeClock();
        var scheduler = new FixedRateScheduler(clock, 100);
        scheduler.WaitForNextTick(CancellationToken.None); // tick 0 at 0
        clock.Advance(35_000); // ticks 1, 2, 3 (10, 20, 30 ms) passed during one slow run
        Assert.Equal(2, scheduler.WaitForNextTick(CancellationToken.None));
        Assert.Equal(30_000, clock.Sleeps[^1]); // runs the tick at 30 ms at once, late but on the grid
        Assert.Equal(0, scheduler.WaitForNextTick(CancellationToken.None));
        Assert.Equal(40_000, clock.Sleeps[^1]);
    }

    [Fact]
    public void A_rate_faster_than_the_clock_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedRateScheduler(new FakeClock(), 10_000_000));
}
