using EdgeLowRank.Runtime.Cli.Reporting;

namespace EdgeLowRank.Runtime.Tests.Cli;

public class LatencyRecorderTests
{
    [Fact]
    public void Mean_and_standard_deviation_match_a_direct_two_pass_computation()
    {
        // A large offset with small spread is where a naive Σx² formula loses its digits; Welford's update must not.
        double[] samples = Samples(new Random(1), 10_000, offset: 1e3, spread: 1e-3);
        var recorder = Record(samples);

        double mean = samples.Average();
        double std = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / (samples.Length - 1));
        Assert.Equal(samples.Length, recorder.Count);
        Assert.Equal(mean, recorder.Mean, 1e-9);
        Assert.Equal(std, recorder.StandardDeviation, std * 1e-6);
        Assert.Equal(samples.Min(), recorder.Min);
        Assert.Equal(samples.Max(), recorder.Max);
    }

    [Fact]
    public void Merging_two_recorders_equals_one_recorder_over_all_samples()
    {
        var random = new Random(2);
        double[] first = Samples(random, 3_000, offset: 0.002, spread: 0.001);
        double[] second = Samples(random, 5_000, offset: 0.004, spread: 0.003);
        var merged = Record(first);
        merged.Merge(Record(second));
        var whole = Record([.. first, .. second]);

        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Mean, merged.Mean, 1e-15);
        Assert.Equal(whole.StandardDeviation, merged.StandardDeviation, 1e-15);
        double[] quantiles = [0, 0.5, 0.9, 0.99, 1];
        Assert.Equal(whole.Percentiles(quantiles), merged.Percentiles(quantiles));
    }

    [Fact]
    public void Merging_into_an_empty_recorder_takes_the_other_ones_statistics()
    {
        var other = Record([1, 2, 4]);
        var empty = new LatencyRecorder();
        empty.Merge(other);

        Assert.Equal((3L, 1d, 4d), (empty.Count, empty.Min, empty.Max));
        Assert.Equal(other.Mean, empty.Mean, 1e-15);
        Assert.Equal(other.StandardDeviation, empty.StandardDeviation, 1e-15);
    }

    [Fact]
    public void Percentiles_of_a_known_sequence_interpolate_between_order_statistics()
    {
        // 1..101 in shuffled order: the q-quantile is exactly 1 + 100·q.
        double[] values = Enumerable.Range(1, 101).Select(i => (double)i).ToArray();
        new Random(3).Shuffle(values);

        Assert.Equal([1, 26, 51, 91, 100, 101], Record(values).Percentiles(0, 0.25, 0.5, 0.9, 0.99, 1));
        Assert.Equal([2.5, 3.25], Record([4, 1, 3, 2]).Percentiles(0.5, 0.75));
        Assert.True(double.IsNaN(new LatencyRecorder().Percentiles(0.5)[0]));
    }

    [Fact]
    public void Percentiles_of_a_run_longer_than_the_reservoir_come_from_a_uniform_sample()
    {
        // An increasing ramp: a reservoir that kept only the first samples would put the median near 0.
        const int N = 1_000_000;
        var recorder = new LatencyRecorder();
        for (int i = 0; i < N; i++) recorder.Add(i / (double)N);

        double[] p = recorder.Percentiles(0.1, 0.5, 0.9);
        Assert.Equal(0.1, p[0], 0.01);
        Assert.Equal(0.5, p[1], 0.01);
        Assert.Equal(0.9, p[2], 0.01);
    }

    [Fact]
    public void Merging_threads_that_outran_their_reservoirs_weighs_each_by_its_run_count()
    {
        // As bench's threads: a fast thread of 300,000 runs (1.0–1.1 ms) and a slow one of 700,000 (5.0–5.5 ms), merged in
        // that order into an empty recorder, each holding fewer samples than its runs. Of the mixture, 30% of the runs are
        // fast, so the median is the slow thread's (0.5 − 0.3) / 0.7 quantile, p10 the fast one's 1/3 quantile and p90 the
        // slow one's 6/7. A merge that took the second reservoir's samples for single runs kept about 10% slow ones and put
        // the median among the fast.
        const int Fast = 300_000, Slow = 700_000;
        var fast = new LatencyRecorder();
        for (int i = 0; i < Fast; i++) fast.Add(1.0e-3 + 0.1e-3 * Spread(i, Fast));
        var slow = new LatencyRecorder();
        for (int i = 0; i < Slow; i++) slow.Add(5.0e-3 + 0.5e-3 * Spread(i, Slow));
        var merged = new LatencyRecorder();
        merged.Merge(fast);
        merged.Merge(slow);

        double[] p = merged.Percentiles(0.1, 0.5, 0.9);
        Assert.Equal(Fast + Slow, merged.Count);
        Assert.Equal(1.0e-3 + 0.1e-3 / 3, p[0], 0.01e-3);
        Assert.Equal(5.0e-3 + 0.5e-3 * (0.2 / 0.7), p[1], 0.02e-3);
        Assert.Equal(5.0e-3 + 0.5e-3 * (6 / 7.0), p[2], 0.02e-3);
        // The share of fast samples kept is the share of fast runs, whichever thread comes first.
        var reversed = new LatencyRecorder();
        reversed.Merge(slow);
        reversed.Merge(fast);
        double[] q = reversed.Percentiles(0.1, 0.5, 0.9);
        for (int i = 0; i < p.Length; i++) Assert.Equal(p[i], q[i], 0.02e-3);
    }

    /// <summary>0..1 in a scrambled order (a multiplicative stride through the runs), so a recorder's runs are no ramp in time.</summary>
    private static double Spread(int i, int count) => (i * 7_919L % count) / (double)count;

    private static double[] Samples(Random random, int count, double offset, double spread) =>
        Enumerable.Range(0, count).Select(_ => offset + spread * random.NextDouble()).ToArray();

    private static LatencyRecorder Record(IEnumerable<double> samples)
    {
        var recorder = new LatencyRecorder();
        foreach (double s in samples) recorder.Add(s);
        return recorder;
    }
}
