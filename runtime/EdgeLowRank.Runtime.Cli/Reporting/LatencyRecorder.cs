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

    /// <summary>Merges another recorder (one per thread) into this one: moments exactly (Chan et al.'s pairwise update),
    /// percentile samples by each recorder's run count. While both recorders' runs fit in the reservoir, all are kept, so
    /// the percentiles are exact; beyond that each kept sample stands for <see cref="Count"/> / kept runs of its recorder, and
    /// the merged reservoir takes from each a uniform subset as large as its share of all the runs. (Fed in as single runs,
    /// the other's reservoir of 100,000 samples of a thread of a million runs counted as 100,000 runs: two such threads came
    /// out 0.905 to 0.095 instead of even.)</summary>
    public void Merge(LatencyRecorder other)
    {
        if (other.Count == 0) return;
        long total = Count + other.Count;
        double delta = other._mean - _mean;
        _m2 += other._m2 + delta * delta * Count * other.Count / total;
        _mean += delta * other.Count / total;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        int kept = Kept, otherKept = other.Kept;
        if (total <= _reservoir.Length)
        {
            Array.Copy(other._reservoir, 0, _reservoir, kept, otherKept);
        }
        else
        {
            // This recorder's share of the reservoir, by runs; it is at most the samples each side holds (a share of fewer
            // slots than runs rounds to no more than the runs), clamped only against rounding.
            int size = _reservoir.Length;
            int mine = Math.Clamp((int)Math.Round(size * (double)Count / total), size - otherKept, kept);
            Subsample(_reservoir, kept, mine, _reservoir, 0);
            Subsample(other._reservoir, otherKept, size - mine, _reservoir, mine);
        }
        Count = total;
    }

    /// <summary>Samples kept: all the runs up to the reservoir's size.</summary>
    private int Kept => (int)Math.Min(Count, _reservoir.Length);

    /// <summary>Copies a uniform random <paramref name="take"/> of the first <paramref name="count"/> of <paramref name="from"/> to
    /// <paramref name="to"/> from <paramref name="at"/> on, in order (Knuth's selection sampling: each is taken with probability
    /// still needed / still left). Allocates nothing, leaves <paramref name="from"/> as it was unless it is <paramref name="to"/>
    /// with <paramref name="at"/> 0, which it compacts in place.</summary>
    private void Subsample(double[] from, int count, int take, double[] to, int at)
    {
        for (int i = 0; i < count && take > 0; i++)
        {
            if (NextRandom() % (ulong)(count - i) >= (ulong)take) continue;
            to[at++] = from[i];
            take--;
        }
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
        int kept = Kept;
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
