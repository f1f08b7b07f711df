namespace EdgeLowRank.Samples.ThermalBench.Scheduling;

/// <summary>Time as the bench sees it, so the scheduler and the per-second statistics can be tested with a fake clock.</summary>
internal interface IClock
{
    /// <summary>The current time in ticks.</summary>
    long Now { get; }

    /// <summary>Ticks per second.</summary>
    long Frequency { get; }

    /// <summary>Returns once <see cref="Now"/> ≥ <paramref name="timestamp"/>, or early when cancelled.</summary>
    void SleepUntil(long timestamp, CancellationToken cancellation);
}
