using static System.FormattableString;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The note after a run whose schedule was shorter than the default one, in LC steps or in epochs, and lost accuracy doing
/// so. Such a run can end converged (‖W−Θ‖² small, so no shortfall warning) and at its target, yet well above the reference's
/// error, because its L steps were too few for the loss to recover what the projections cost, or its μ rose in jumps too
/// large for W to follow: LeNet-300-100 at 10× (latency criterion) ended at 3.72% after --steps 4, 2.99% after 4 steps of
/// 9 epochs (36 epochs, more than the default's), 2.57% with --finetune-epochs 5 after 4 steps, and 2.14% after the default 35
/// steps (docs/ALGORITHM.md, "Fewer or more LC steps"); a user trial's PyTorch LeNet-5 at 2.25% against 0.93%, with no word
/// of why.
/// </summary>
public static class ShortScheduleNote
{
    /// <summary>The rise in test error, in points of accuracy, from which a short schedule's loss is worth a note on a large
    /// test set: above the 0.2–0.3 points seeds move a compressed MNIST network's error.</summary>
    public const double NotableRise = 0.005;

    /// <summary>The fewest test images the rise must also amount to. On the digits' 359 the default 35 steps themselves end 2
    /// images (0.56 points) above the 100-epoch reference at 4× with CUR, as do 10 and 20 steps, so more steps would not help.</summary>
    public const int NotableImages = 10;

    /// <summary>The note for a run of <paramref name="options"/> that went from <paramref name="referenceAccuracy"/> to
    /// <paramref name="finalAccuracy"/> on <paramref name="testImages"/> test images after <paramref name="stepsRun"/> LC steps
    /// (fewer than asked when the stopping rule ended it) and ended at <paramref name="finalRelativeGap"/> (Σ‖W−Θ‖²/Σ‖W‖²), or
    /// null when the schedule asked for was not short (the default's steps or more: at 1 epoch or more a step, fewer epochs
    /// than the default's always come with fewer steps), it fine-tuned, it lost little, or it did not converge
    /// (<see cref="GoalShortfalls"/> warns of that, with its own advice). <paramref name="trainingSamples"/>, the samples the L
    /// steps trained on (null when unknown), make an L step's SGD updates: when they are few
    /// (<see cref="GoalShortfalls.FewUpdatesPerLStep"/>) the way back is more epochs a step, not more steps.</summary>
    public static string? For(LcOptions options, double referenceAccuracy, double finalAccuracy, int testImages, int stepsRun, double finalRelativeGap,
        int? trainingSamples = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        int defaultEpochsPerStep = new LcOptions().EpochsPerStep;
        double rise = referenceAccuracy - finalAccuracy;
        // Written so that a NaN accuracy gives no note: a comparison with NaN is false.
        if (options.Steps >= LcOptions.DefaultSteps || options.FinetuneEpochs > 0 || !(rise > NotableRise)
            || !(rise * testImages >= NotableImages - 0.5) || !(finalRelativeGap <= GoalShortfalls.ConvergedGap)) return null;
        // A run the stopping rule ended would stop as early with more steps: only fine-tuning trains it further.
        bool stopped = stepsRun < options.Steps;
        return Invariant($"the error rose {rise * 100:F2} points over the reference ({(1 - referenceAccuracy) * 100:F2}% → {(1 - finalAccuracy) * 100:F2}%) in a short schedule: ")
            + Invariant($"the network trained {Count(stepsRun * options.EpochsPerStep, "epoch")} in {Count(stepsRun, "LC step")} of {Count(options.EpochsPerStep, "epoch")}")
            + Invariant($"{(stopped ? $" (the stopping rule ended the {options.Steps} asked for)" : "")}, against the default's {LcOptions.DefaultSteps} LC steps of {Count(defaultEpochsPerStep, "epoch")}. ")
            + "--finetune-epochs N trains the compressed network N epochs more at its ranks"
            + (stopped ? " (" + LeNetFigures : ", and " + WayBack(options, trainingSamples))
            + "; docs/ALGORITHM.md, \"Fewer or more LC steps\").";
    }

    /// <summary>The measured example for L steps of many updates.</summary>
    private const string LeNetFigures = "LeNet-300-100 at 10× by latency: 3.72% after 4 steps, 2.99% after 4 steps of 9 epochs, "
        + "2.57% after 4 steps with --finetune-epochs 5, 2.14% after the default 35";

    /// <summary>How the schedule itself goes longer, with its measured example, up to the closing parenthesis. L steps of one
    /// or two epochs of few updates need more epochs each: more steps of them did not converge. Otherwise more steps, which
    /// also raise μ in smaller jumps: with 8 epochs a step, more epochs made the digits MLP at 8× worse after 4 steps (18.66%;
    /// 21.45% at 9, 23.40% at 12, 26.46% at 40) and more steps better (a user trial's measurements).</summary>
    private static string WayBack(LcOptions options, int? trainingSamples)
    {
        int? updates = trainingSamples is int samples ? options.UpdatesPerLStep(samples) : null;
        bool fewUpdates = updates < GoalShortfalls.FewUpdatesPerLStep;
        if (fewUpdates && options.EpochsPerStep <= 2)
            return Invariant($"more --epochs-per-step give each L step more than its {updates:N0} SGD updates, where more steps alone do not ")
                + "(the digits MLP at 8×: 29.81% after 10 steps of 1 epoch, 13.93% after 10 of 8, 9.75% after 35 of 8, and 36.77% after 35 of 1, not converged";
        return Invariant($"more --steps train it longer, in smaller jumps of μ (×{options.MuGrowth:0.##} a step in this run; ")
            + (fewUpdates ? "the digits MLP at 8× in steps of 8 epochs: 18.66% after 4 steps, 13.93% after 10, 9.75% after 35" : LeNetFigures);
    }

    private static string Count(int n, string noun) => Invariant($"{n} {noun}{(n == 1 ? "" : "s")}");
}
