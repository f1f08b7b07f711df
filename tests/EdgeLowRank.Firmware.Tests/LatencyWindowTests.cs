using EdgeLowRank.Samples.ThermalBench.Sensors;
using EdgeLowRank.Samples.ThermalBench.Statistics;

namespace EdgeLowRank.Firmware.Tests;

public class LatencyWindowTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_over_the_window()
    {
        var window = new LatencyWindow(100);
        foreach (long us in Enumerable.Range(1, 100).Reverse()) window.Add(us); // 1..100 µs, unsorted
        window.AddMissed(3);
        SecondSummary s = window.Summarize(1, 1.0, 1_000_000, ThermalReading.Absent);
        Assert.Equal((100, 3), (s.Inferences, s.Missed));
        Assert.Equal((50.0, 90.0, 99.0, 100.0), (s.P50Microseconds!.Value, s.P90Microseconds!.Value, s.P99Microseconds!.Value, s.MaxMicroseconds!.Value));
    }

    [Fact]
    public void A_single_sample_is_every_percentile_and_the_window_then_starts_empty()
    {
        var window = new LatencyWindow(1);
        window.Add(7);
        Assert.Equal(7.0, window.Summarize(1, 1, 1_000_000, ThermalReading.Absent).P99Microseconds);
        SecondSummary empty = window.Summarize(2, 2, 1_000_000, ThermalReading.Absent);
        Assert.Equal((0, 0, (double?)null), (empty.Inferences, empty.Missed, empty.P50Microseconds));
    }

    [Fact]
    public void More_samples_than_expected_still_count()
    {
        var window = new LatencyWindow(1);
        for (int i = 0; i < 1000; i++) window.Add(i);
        Assert.Equal(1000, window.Summarize(1, 1, 1_000_000, ThermalReading.Absent).Inferences);
    }
}
