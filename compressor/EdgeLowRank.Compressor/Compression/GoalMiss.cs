namespace EdgeLowRank.Compressor.Compression;

/// <summary>The goals of an <c>elr compress</c> run that <see cref="GoalShortfalls"/> checks once it has finished.</summary>
public enum RunGoal
{
    /// <summary>The LC steps brought the weights to their low-rank projection: Σ‖W−Θ‖²/Σ‖W‖² at most <see cref="GoalShortfalls.ConvergedGap"/>.</summary>
    Convergence,

    /// <summary><c>--target-ratio</c>: the written model's ratio under the criterion within <see cref="GoalShortfalls.TargetTolerance"/> of the target.</summary>
    TargetRatio,

    /// <summary><c>--min-flops-ratio</c>: the last C step's FLOPs ratio at least the floor.</summary>
    MinFlopsRatio,

    /// <summary><c>--max-error-rise</c>: the test error at most this many percentage points above the reference's.</summary>
    MaxErrorRise,
}

/// <summary>
/// One goal a finished run missed, for the person (<paramref name="Message"/>, the warning's sentence with its advice) and for
/// a program reading the JSON log (the rest): which goal, the bound it asked for and the value the run reached, in the goal's
/// own terms — the largest relative ‖W−Θ‖² and the run's for <see cref="RunGoal.Convergence"/>, the ratios for
/// <see cref="RunGoal.TargetRatio"/> and <see cref="RunGoal.MinFlopsRatio"/>, percentage points for <see cref="RunGoal.MaxErrorRise"/>.
/// <paramref name="Reached"/> is NaN when the run's value is (a model whose outputs are NaN).
/// </summary>
public sealed record GoalMiss(RunGoal Goal, double Asked, double Reached, string Message);
