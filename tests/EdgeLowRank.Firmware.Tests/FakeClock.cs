using EdgeLowRank.Samples.ThermalBench.Scheduling;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>A clock in microseconds that moves only when told to, when someone sleeps (waking <see cref="Oversleep"/> late), or
/// by <see cref="PerRead"/> on every read.</summary>
internal sealed class FakeClock : IClock
{
    private long _now;

    /// <summary>Microseconds that pass each time <see cref="Now"/> is read, as a real clock moves between two reads.</summary>
    public long PerRead { get; init; }

    public long Now
    {
        get
        {
            long now = _now;
            _now += PerRead;
            return now;
        }
    }

    public long Frequency => 1_000_000;

    /// <summary>Microseconds a sleep until the given timestamp wakes after it, as a real sleep may (the OS wakes a thread
    /// late, more so on a loaded board); none by default.</summary>
    public Func<long, long> Oversleep { get; init; } = _ => 0;

    public List<long> Sleeps { get; } = [];

    public void Advance(long microseconds) => _now += microseconds;

    public void SleepUntil(long timestamp, CancellationToken cancellation)
    {
        Sleeps.Add(timestamp);
        _now = Math.Max(_now, timestamp + Oversleep(timestamp));
    }
}
