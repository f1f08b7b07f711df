using EdgeLowRank.Runtime.Cli.Commands;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>What a report over fewer runs than a statistic needs says about them: which part of the benchmark Ctrl+C or
/// SIGTERM cut short, and which latency statistics the runs made cannot give (the table shows those as "—", the JSON as null).</summary>
internal static class PartialReport
{
    /// <summary>Runs asked for in all (per thread times threads); null under --duration, which asks for seconds.</summary>
    public static long? PlannedRuns(BenchSettings s) => s.Duration is null ? (long)s.Runs * s.Threads : null;

    /// <summary>Seconds asked for: --duration's, or --min-seconds' beside --runs; null when neither was given.</summary>
    public static double? PlannedSeconds(BenchSettings s) => s.Duration ?? (s.MinSeconds > 0 ? s.MinSeconds : null);

    /// <summary>Whether <paramref name="runs"/> give <paramref name="percentile"/>.</summary>
    public static bool Gives(long runs, Percentile percentile) => runs >= percentile.RunsNeeded;

    /// <summary>The text of the "interrupted" line: how far the benchmark got, by which signal, and what the figures cover.</summary>
    public static string Interruption(BenchReport r, BenchPhase phase, StopSignal signal) => phase switch
    {
        BenchPhase.WarmUp => $"before the timed runs ({signal.Name}): no run measured" + NoLayerTimes(r),
        BenchPhase.Measurement => $"after {HowFar(r)} ({signal.Name}); the figures below cover those" + NoLayerTimes(r),
        _ => $"during the per-layer timing ({signal.Name}): its step means cover {Units.Count(r.PerLayerRuns)} runs, the latencies all {Units.Count(r.Latency.Count)}",
    };

    /// <summary>What a stop before the per-layer timing leaves out when --per-layer asked for it: its table, which would
    /// otherwise be missing without a word.</summary>
    private static string NoLayerTimes(BenchReport r) => r.Settings.PerLayer ? "; no per-layer timing (it runs after the timed runs)" : "";

    /// <summary>The line under the latency table when a statistic is "—"; null when every one is given.</summary>
    public static string? MissingStatistics(long runs)
    {
        if (runs == 0) return "—: no run measured";
        string[] missing = Percentile.Reported.Where(p => !Gives(runs, p)).Select(p => $"{p.Name} (needs {Units.Count(p.RunsNeeded)})").ToArray();
        if (missing.Length == 0) return null;
        string list = missing.Length == 1 ? missing[0] : $"{string.Join(", ", missing[..^1])} and {missing[^1]}";
        return $"—: too few runs for {list}; {Units.Count(runs)} measured";
    }

    /// <summary>"1,234 of 5,000 runs", "1,234 of 10,000 runs (2 threads × 5,000)", under --duration "1,234 runs in 3.21 s of 30 s",
    /// or past the runs under --min-seconds "6,789 runs in 0.31 s of at least 0.5 s".</summary>
    private static string HowFar(BenchReport r)
    {
        BenchSettings s = r.Settings;
        string made = Units.Count(r.Latency.Count);
        if (s.Duration is double seconds) return $"{made} runs in {Units.Duration(r.MeasuredSeconds)} of {Units.Fixed(seconds, "0.##")} s";
        // Past the runs asked for, only --min-seconds' time was still to come.
        if (r.Latency.Count >= PlannedRuns(s) && s.MinSeconds > 0) return $"{made} runs in {Units.Duration(r.MeasuredSeconds)} of at least {Units.Fixed(s.MinSeconds, "0.##")} s";
        string threads = s.Threads == 1 ? "" : $" ({s.Threads} threads × {Units.Count(s.Runs)})";
        return $"{made} of {Units.Count(PlannedRuns(s)!.Value)} runs{threads}";
    }
}
