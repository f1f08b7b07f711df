namespace EdgeLowRank.Samples.ThermalBench.Statistics;

/// <summary>
/// Collects the latencies of one window and summarizes them as nearest-rank percentiles (the smallest value
/// with at least p% of the samples at or below it: always a latency that really happened). The buffer is
/// sized once from the rate, so recording inside the timed loop allocates nothing.
/// </summary>
internal sealed class LatencyWindow
{
    private long[] _ticks;
    private int _count;
    private int _missed;

    /// <summary>Creates a window expecting about <paramref name="expectedPerWindow"/> samples (it grows if more come).</summary>
    public LatencyWindow(int expectedPerWindow) => _ticks = new long[Math.Max(16, expectedPerWindow * 2)];

    /// <summary>Records one inference's latency.</summary>
    public void Add(long latencyTicks)
    {
        if (_count == _ticks.Length) Array.Resize(ref _ticks, _ticks.Length * 2);
        _ticks[_count++] = latencyTicks;
    }

    /// <summary>Records ticks the scheduler had to skip.</summary>
    public void AddMissed(int ticks) => _missed += ticks;

    /// <summary>Samples recorded since the last summary.</summary>
    public int Count => _count;

    /// <summary>Ticks skipped since the last summary.</summary>
    public int Missed => _missed;

    /// <summary>Summarizes the window and empties it for the next one.</summary>
    public SecondSummary Summarize(int second, double elapsedSeconds, long ticksPerSecond, Sensors.ThermalReading thermal)
    {
        Array.Sort(_ticks, 0, _count);
        var summary = new SecondSummary(second, elapsedSeconds, _count, _missed, At(0.50, ticksPerSecond), At(0.90, ticksPerSecond), At(0.99, ticksPerSecond), At(1.0, ticksPerSecond), thermal);
        _count = 0;
        _missed = 0;
        return summary;
    }

    /// <summary>The nearest-rank percentile of the sorted samples, in microseconds; null when there are none.</summary>
    private double? At(double percentile, long ticksPerSecond) =>
        _count == 0 ? null : _ticks[Math.Max(0, (int)Math.Ceiling(percentile * _count) - 1)] * 1e6 / ticksPerSecond;
}
