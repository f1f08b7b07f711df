namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>
/// Collects per-run latencies without allocating while it records: count, min, max, mean and
/// standard deviation are exact (Welford's update); percentiles come from a fixed-size uniform
/// reservoir, so a long --duration run keeps memory bounded (the peak RSS is part of the report).
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>Samples kept for percentiles: 800 KB per recorder (one per thread), and enough that the
    /// sampling error of a p99 is a small fraction of a percentile step.</summary>
    private const int ReservoirSize = 100_000;

    /// <summary>A fixed seed, so the same latencies always give the same percentiles.</summary>
    private const ulong Seed = 0x9E3779B97F4A7C15;

    private readonly double[] _reservoir = new double[ReservoirSize];
    private ulong _random = Seed;
    private double _mean, _m2;

    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Mean => _mean;

    public double StandardDeviation => Count > 1 ? Math.Sqrt(_m2 / (Count - 1)) : 0;

    public void Add(double seconds)
    {
        Count++;
        double delta = seconds - _mean;
        _mean += delta / Count;
        _m2 += delta * (seconds - _mean);
        Min = Math.Min(Min, seconds);
        Max = Math.Max(Max, seconds);
        Keep(seconds, Count);
    }

    /// <summary>Merges another recorder (one per thread) into this one: moments exactly (Chan et al.'s
    /// pairwise update), percentile samples through the reservoir.</summary>
    public void Merge(LatencyRecorder other)
    {
        if (other.Count == 0) return;
        long total = Count + other.Count;
        double delta = other._mean - _mean;
        _m2 += other._m2 + delta * delta * Count * other.Count / total;
        _mean += delta * other.Count / total;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        long seen = Count;
        Count = total;
        int kept = (int)Math.Min(other.Count, other._reservoir.Length);
        for (int i = 0; i < kept; i++) Keep(other._reservoir[i], ++seen);
    }

    /// <summary>Algorithm R: the n-th sample is kept with probability size/n, replacing a random one.</summary>
    private void Keep(double seconds, long n)
    {
        if (n <= _reservoir.Length)
        {
            _reservoir[n - 1] = seconds;
            return;
        }
        long slot = (long)(NextRandom() % (ulong)n);
        if (slot < _reservoir.Length) _reservoir[slot] = seconds;
    }

    /// <summary>The q-quantile (0..1) by linear interpolation between order statistics of the kept samples.</summary>
    public double[] Percentiles(params double[] quantiles)
    {
        int kept = (int)Math.Min(Count, _reservoir.Length);
        if (kept == 0) return quantiles.Select(_ => double.NaN).ToArray();
        double[] sorted = _reservoir[..kept];
        Array.Sort(sorted);
        return quantiles.Select(q =>
        {
            double position = q * (kept - 1);
            int below = (int)Math.Floor(position);
            int above = Math.Min(below + 1, kept - 1);
            return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
        }).ToArray();
    }

    private ulong NextRandom()
    {
        // xorshift64*: cheap and allocation-free; statistical quality is ample for sampling.
        _random ^= _random >> 12;
        _random ^= _random << 25;
        _random ^= _random >> 27;
        return _random * 2685821657736338717UL;
    }
}
