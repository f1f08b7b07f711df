using EdgeLowRank.Runtime.Cli.Scoring;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>What `elr-run run` did, for its JSON document (<see cref="RunReportWriter"/>).</summary>
internal sealed record RunReport
{
    public required string ModelPath { get; init; }
    public required string InputPath { get; init; }
    /// <summary>Samples the input holds; more than <see cref="Samples"/> under --limit.</summary>
    public required int InputSamples { get; init; }
    /// <summary>Samples run.</summary>
    public required int Samples { get; init; }
    /// <summary>The outputs of the samples run, <see cref="OutputLength"/> each.</summary>
    public required float[] Outputs { get; init; }
    public required int OutputLength { get; init; }
    /// <summary>The model's class names (empty when it records none: classes go by index).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>How many classes each prediction lists (--top).</summary>
    public required int Top { get; init; }
    /// <summary>Whether each sample's prediction is given (not --quiet), and with <see cref="WrongOnly"/> only the wrong ones'.</summary>
    public required bool Predictions { get; init; }
    public required bool WrongOnly { get; init; }
    /// <summary>The --labels file; null without one, as <see cref="Score"/> is.</summary>
    public required string? LabelsPath { get; init; }
    public required LabelScore? Score { get; init; }
    /// <summary>Whether --confusion asked for each class's recall and precision and the confusion matrix.</summary>
    public required bool Confusion { get; init; }
    /// <summary>The --output file, written before the report.</summary>
    public required string? OutputPath { get; init; }
    /// <summary>The comparison with --expect; null without it.</summary>
    public required ExpectComparison? Comparison { get; init; }
}

/// <summary>How the outputs compared with an --expect file (see <see cref="Commands.OutputComparison"/>).</summary>
/// <param name="ExpectPath">The --expect file.</param>
/// <param name="LargestRelativeError">The largest relative error of a sample (infinite when a NaN or infinity did not match).</param>
/// <param name="WorstSample">The first sample with that error.</param>
/// <param name="Tolerance">--rtol.</param>
internal sealed record ExpectComparison(string ExpectPath, double LargestRelativeError, int WorstSample, double Tolerance)
{
    /// <summary>Whether every sample is within the tolerance.</summary>
    public bool Ok => LargestRelativeError <= Tolerance;
}
