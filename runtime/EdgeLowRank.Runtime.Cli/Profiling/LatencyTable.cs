using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Cli.Profiling;

/// <summary>One measured layer: its kind and shape, the rank (0 for dense), and the median seconds per inference.</summary>
/// <param name="Kind">"dense", "factorized-dense", "conv2d" or "factorized-conv2d".</param>
/// <param name="Rows">The weight matrix's rows: inputs, or k·k·c_in for a convolution.</param>
/// <param name="Columns">Its columns: outputs, or c_out.</param>
/// <param name="Rank">The rank of a factorized layer; 0 for a dense one.</param>
/// <param name="Pixels">Output pixels of a convolution (1 for dense layers).</param>
/// <param name="Seconds">The median seconds per inference.</param>
/// <param name="Convolution">A convolution's image and window; null for dense layers.</param>
internal sealed record LatencyEntry(string Kind, int Rows, int Columns, int Rank, int Pixels, double Seconds, ConvShape? Convolution = null);

/// <summary>A machine's latency table: where it was measured, with what binary, and the measurements.</summary>
internal sealed record LatencyTable(string Cpu, string? Board, string BuiltFor, IReadOnlyList<string> InstructionsUsed, int Batch, int Runs,
    DateTimeOffset MeasuredAt, IReadOnlyList<LatencyEntry> Entries)
{
    /// <summary>Cores other processes kept busy while the table was measured; null without /proc (not Linux).</summary>
    public CpuContention? OtherProcesses { get; init; }
}
