namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>
/// A latency percentile the bench reports, pQ, and the runs it needs: at least one run in every 100 − Q must lie above
/// it, so it is reported from 100 / (100 − Q) runs on (p50: 2, p90: 10, p95: 20, p99: 100). Below that it would be the
/// slowest run, or an interpolation towards it, under a name that promises a tail statistic; the report says so instead.
/// </summary>
/// <param name="Value">Q, the percentage of runs at or below the percentile.</param>
internal readonly record struct Percentile(int Value)
{
    /// <summary>The percentiles in the table and the JSON, in order.</summary>
    public static readonly Percentile[] Reported = [new(50), new(90), new(95), new(99)];

    /// <summary>The quantile, 0..1, for <see cref="LatencyRecorder.Percentiles"/>.</summary>
    public double Quantile => Value / 100.0;

    /// <summary>"p99": the column in the table and the key in the JSON.</summary>
    public string Name => $"p{Value}";

    /// <summary>The fewest runs the percentile is reported from: ⌈100 / (100 − Q)⌉, in integers, as 1 − 0.9 is not 0.1 in binary.</summary>
    public long RunsNeeded => (100 + (100 - Value) - 1) / (100 - Value);
}
