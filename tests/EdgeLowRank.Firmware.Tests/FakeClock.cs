using EdgeLowRank.Samples.ThermalBench.Scheduling;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>A clock in microseconds that moves only when told to, or when someone sleeps.</summary>
internal sealed class FakeClock : IClock
{
    public long Now { get; private set; }

    public long Frequency => 1_000_000;

    public List<long> Sleeps { get; } = [];

    public void Advance(long microseconds) => Now += microseconds;

    public void SleepUntil(long timestamp, CancellationToken cancellation)
    {
        Sleeps.Add(timestamp);
        Now = Math.Max(Now, timestamp);
    }
}
