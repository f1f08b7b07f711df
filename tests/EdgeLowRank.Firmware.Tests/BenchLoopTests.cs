using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Samples.ThermalBench;
using EdgeLowRank.Samples.ThermalBench.Sensors;
using EdgeLowRank.Samples.ThermalBench.Statistics;

namespace EdgeLowRank.Firmware.Tests;

public class BenchLoopTests
{
    private static readonly BoardSensors NoSysfs = new(null, null, null, null, null);

    [Fact]
    public void Two_seconds_at_100_hz_make_two_rows_of_100_runs()
    {
        var clock = new FakeClock();
        var log = new StringWriter();
        using var sensors = new SimulatedThermalSensors(clock);
        List<SecondSummary> rows = new BenchLoop(clock, sensors, () => clock.Advance(2_000), log).Run(100, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal([1, 2], rows.Select(r => r.Second));
        Assert.All(rows, r => Assert.Equal((100, 0, 2_000.0), (r.Inferences, r.Missed, r.P99Microseconds!.Value)));
        Assert.True(rows[1].Thermal.BindingsCelsius > rows[0].Thermal.BindingsCelsius - 1e-9, "the simulated board warms up");
        Assert.StartsWith("s 1: 100 runs, 0 missed, p50 2000.0 µs", log.ToString());
    }

    [Fact]
    public void A_board_slower_than_the_rate_shows_missed_ticks_and_a_stall_gets_an_empty_row()
    {
        var clock = new FakeClock();
        int run = 0;
        // At 100 Hz: each run takes 25 ms (2 ticks missed per run); run 10 stalls for 2.5 s, so second 2 runs nothing.
        void Infer() => clock.Advance(++run == 10 ? 2_500_000 : 25_000);
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), Infer, TextWriter.Null)
            .Run(100, TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.True(rows[0].Missed >= 250, "the ticks lost in the stall count against the second the stalled run started in");
        Assert.Equal((0, (double?)null), (rows[1].Inferences, rows[1].P50Microseconds));
        Assert.True(rows[2].Missed > 0, "25 ms runs at 100 Hz miss ticks");
        Assert.Equal(rows.Count, rows.Select(r => r.Second).Distinct().Count());
        Assert.Equal(400, rows.Sum(r => r.Inferences) + rows.Sum(r => r.Missed));
    }

    [Theory]
    [InlineData(199, 25_000)]     // the run due at 1.98 s ends at 2.005 s: the tick due at 1.99 s was skipped, and no wait came to count it
    [InlineData(195, 2_000_000)]  // the run due at 1.94 s stalls past the end: the five after it
    public void Every_tick_of_the_run_is_counted_run_or_missed_when_a_last_run_is_slow(int slowRun, long microseconds)
    {
        // 2 s at 100 Hz: 200 ticks. A stall in the last runs left ticks out of the rows, and a CI check counting them failed.
        var clock = new FakeClock();
        int run = 0;
        void Infer() => clock.Advance(++run == slowRun ? microseconds : 1_000);
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), Infer, TextWriter.Null)
            .Run(100, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(200, rows.Sum(r => r.Inferences) + rows.Sum(r => r.Missed));
    }

    [Fact]
    public void A_tick_due_before_the_end_but_woken_for_after_it_is_missed_not_run()
    {
        // 1 s at 100 Hz: 100 ticks. The sleep until the last, due at 0.99 s, wakes 15 ms late, after the end: run, it would
        // have opened a second row past the run's duration.
        var clock = new FakeClock { Oversleep = due => due == 990_000 ? 15_000 : 0 };
        int runs = 0;
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), () => { runs++; clock.Advance(1_000); }, TextWriter.Null)
            .Run(100, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(990_000, clock.Sleeps[^1]);
        Assert.Equal(99, runs);
        SecondSummary row = Assert.Single(rows);
        Assert.Equal((99, 1, 1.0), (row.Inferences, row.Missed, row.ElapsedSeconds));
    }

    [Fact]
    public void A_second_holds_exactly_the_rate_when_the_clock_moves_between_reads()
    {
        // The windows started a read after the schedule, so the tick due on a window's last boundary fell inside it: 101 runs.
        var clock = new FakeClock { PerRead = 1 };
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), () => clock.Advance(100), TextWriter.Null)
            .Run(100, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal([100, 100], rows.Select(r => r.Inferences));
    }

    [Fact]
    public void A_rate_slower_than_the_run_is_long_stops_at_the_end_instead_of_sleeping_past_it()
    {
        // --rate 0.1 --duration 1 slept until the second tick, 10 s in, and only then stopped.
        var clock = new FakeClock();
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), () => clock.Advance(100), TextWriter.Null)
            .Run(0.1, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(clock.Now < 1_000_000, $"the run ended at {clock.Now} µs");
        Assert.Equal(1, rows.Single().Inferences);
        Assert.Equal(1.0, rows.Single().ElapsedSeconds);
    }

    [Fact]
    public void Cancelling_ends_the_run_and_keeps_the_rows_so_far()
    {
        var clock = new FakeClock();
        using var cancel = new CancellationTokenSource();
        void Infer()
        {
            clock.Advance(1_000);
            if (clock.Now > 1_500_000) cancel.Cancel();
        }
        List<SecondSummary> rows = new BenchLoop(clock, new BoardThermalSensors(() => null, () => NoSysfs), Infer, TextWriter.Null)
            .Run(100, TimeSpan.FromSeconds(60), cancel.Token);
        Assert.Equal(2, rows.Count);
        Assert.True(rows[1].ElapsedSeconds < 2);
    }
}
