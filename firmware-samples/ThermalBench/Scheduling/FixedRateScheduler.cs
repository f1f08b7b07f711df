namespace EdgeLowRank.Samples.ThermalBench.Scheduling;

/// <summary>
/// Paces work at a fixed rate. Tick k is due at start + k·period, computed from the start rather than
/// from the previous tick, so lateness never accumulates into drift. When the work falls behind by a whole
/// period or more, the missed ticks are skipped and counted instead of being run in a burst: a board that
/// throttles then shows up as missed ticks, not as a backlog that hides the slowdown.
/// </summary>
internal sealed class FixedRateScheduler
{
    private readonly IClock _clock;
    private readonly long _period;
    private long _nextDue;

    /// <summary>Starts the schedule now: the first tick is due immediately.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive or exceeds the clock's resolution.</exception>
    public FixedRateScheduler(IClock clock, double ratePerSecond)
    {
        _clock = clock;
        _period = (long)Math.Round(clock.Frequency / ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(_period, 1, nameof(ratePerSecond));
        _nextDue = clock.Now;
        FirstDue = _nextDue;
    }

    /// <summary>When the first tick was due: the schedule's start, which a caller's own windows must share (taken a
    /// moment later, the tick due on a window's last boundary fell inside the window, one run too many).</summary>
    public long FirstDue { get; }

    /// <summary>Whether the tick <see cref="WaitForNextTick"/> would wait for is due before <paramref name="deadline"/>:
    /// a caller with an end stops instead of sleeping past it (at a rate slower than the run is long, a 1-s run took 10 s).</summary>
    public bool NextTickBefore(long deadline)
    {
        long late = _clock.Now - _nextDue;
        long due = late >= _period ? _nextDue + late / _period * _period : _nextDue;
        return due < deadline;
    }

    /// <summary>How many ticks are due before <paramref name="deadline"/> from the next one on: at the end of a run, those
    /// it never ran, skipped after a slow last run, which no later wait would count.</summary>
    public int TicksDueBefore(long deadline) => _nextDue >= deadline ? 0 : (int)Math.Min((deadline - _nextDue + _period - 1) / _period, int.MaxValue);

    /// <summary>Waits until the next tick is due and returns how many ticks were skipped because the
    /// caller was late by a whole period or more.</summary>
    public int WaitForNextTick(CancellationToken cancellation)
    {
        long late = _clock.Now - _nextDue;
        int skipped = 0;
        if (late >= _period)
        {
            skipped = (int)Math.Min(late / _period, int.MaxValue);
            _nextDue += skipped * _period;
        }
        _clock.SleepUntil(_nextDue, cancellation);
        _nextDue += _period;
        return skipped;
    }
}
