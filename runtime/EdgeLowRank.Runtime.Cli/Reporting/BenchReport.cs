using EdgeLowRank.Runtime.Cli.Commands;
using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Everything `elr-run bench` measured, in seconds and bytes.</summary>
internal sealed record BenchReport
{
    /// <summary>elr-run's release and the commit it was built from (<see cref="BuildInfo.InformationalVersion"/>), as --version prints it.</summary>
    public required string ElrRunVersion { get; init; }
    /// <summary>When the benchmark started (before the load), in UTC.</summary>
    public required DateTime StartedUtc { get; init; }
    /// <summary>The SHA-256 of the model file loaded, in lower-case hex as sha256sum prints it.</summary>
    public required string ModelSha256 { get; init; }
    public required string ModelPath { get; init; }
    public required long ModelBytes { get; init; }
    public required long Parameters { get; init; }
    public required long MultiplyAccumulates { get; init; }
    public required BenchSettings Settings { get; init; }
    public required double LoadSeconds { get; init; }
    public required double FirstInferenceSeconds { get; init; }
    public required long WarmupRuns { get; init; }
    public required double WarmupSeconds { get; init; }
    public required LatencyRecorder Latency { get; init; }
    public required double MeasuredSeconds { get; init; }
    public required double InferencesPerSecond { get; init; }
    public required long ArenaBytes { get; init; }
    /// <summary>Native bytes the reader allocated to pack the weights a 1.2 file stores row-major (0 when all run in place from the file).</summary>
    public required long PackedWeightBytes { get; init; }
    public required double ManagedBytesPerInference { get; init; }
    public required long? PeakResidentBytes { get; init; }
    public required string BuiltFor { get; init; }
    public required IReadOnlyList<string> InstructionsUsed { get; init; }
    public required CpuDescription Cpu { get; init; }
    public required BoardSensors SensorsBefore { get; init; }
    public required BoardSensors SensorsAfter { get; init; }
    /// <summary>Cores other processes kept busy during the timed runs; null without /proc (not Linux) or timed runs.</summary>
    public required CpuContention? OtherProcesses { get; init; }
    /// <summary>Why <see cref="OtherProcesses"/> is null ("no /proc/stat (not Linux)", "the timed runs took 34.00 ms, under the
    /// 0.5 s needed …"); null when it is not.</summary>
    public required string? OtherProcessesNotMeasured { get; init; }
    /// <summary>Per plan step: what it runs (its layers' names and index, its kind and shapes) and its mean seconds per inference;
    /// empty unless --per-layer (the JSON gives null then), or when Ctrl+C came before it.</summary>
    public required IReadOnlyList<(SessionStep Step, double Seconds)> PerLayer { get; init; }
    /// <summary>Runs <see cref="PerLayer"/> averages over: fewer than planned when Ctrl+C cut the per-layer timing short.</summary>
    public required int PerLayerRuns { get; init; }
    /// <summary>The part Ctrl+C or SIGTERM cut short, so the report covers fewer runs than asked; null when the benchmark ran to its end.</summary>
    public required BenchPhase? InterruptedDuring { get; init; }
    /// <summary>The signal that cut <see cref="InterruptedDuring"/> short; null when the benchmark ran to its end.</summary>
    public required StopSignal? InterruptedBy { get; init; }
}
