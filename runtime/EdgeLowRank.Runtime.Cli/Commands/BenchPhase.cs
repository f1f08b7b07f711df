namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>The parts of a benchmark that Ctrl+C can stop (load and the first inference are single steps that run to
/// their end), so the report can say which one it cut short.</summary>
internal enum BenchPhase
{
    /// <summary>Before the timed runs: load, the first inference (which a Ctrl+C during them lets finish) or the warm-up
    /// runs; none was measured yet.</summary>
    WarmUp,
    /// <summary>The timed runs: the latencies cover those made.</summary>
    Measurement,
    /// <summary>The per-layer timing after the timed runs (--per-layer): the latencies are complete, the step means cover fewer runs.</summary>
    PerLayer,
}
