using System.Diagnostics;

namespace EdgeLowRank.Samples.ThermalBench.Scheduling;

/// <summary>The real clock. It sleeps instead of spinning: a busy-wait would heat the CPU and distort the
/// very temperature the bench measures. Linux wakes a sleeping thread within about 0.1 ms, ample for 100 Hz.</summary>
internal sealed class StopwatchClock : IClock
{
    /// <inheritdoc/>
    public long Now => Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public long Frequency => Stopwatch.Frequency;

    /// <inheritdoc/>
    public void SleepUntil(long timestamp, CancellationToken cancellation)
    {
        long remaining;
        while ((remaining = timestamp - Now) > 0 && !cancellation.IsCancellationRequested)
            cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds((double)remaining / Frequency));
    }
}
