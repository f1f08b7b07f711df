using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>The outcome of a learning-compression run.</summary>
/// <param name="Network">The factorized, fine-tuned network (the input network, changed in place), at the fine-tune's best
/// epoch with <see cref="LcOptions.FinetuneKeepBest"/>.</param>
/// <param name="ReferenceAccuracy">Test accuracy of the network before compression.</param>
/// <param name="Accuracy">Test accuracy of <paramref name="Network"/>, after fine-tuning.</param>
/// <param name="AccuracyBeforeFinetune">Test accuracy right after the reparametrization into factors.</param>
/// <param name="Steps">One report per C step, direct compression first.</param>
/// <param name="FinalConstraintGap">Σ‖W_l − Θ_l‖² at the last C step: how far the L step's weights still were from their compressed form.</param>
/// <param name="FinalRelativeGap">The same divided by Σ‖W_l‖².</param>
/// <param name="Seconds">Wall time of this process's share of the run (LC steps + fine-tune); a resumed run's earlier
/// share is <see cref="SecondsBeforeResume"/>.</param>
/// <param name="ValidationAccuracy">Accuracy of the final network on the held-out share (<see cref="LcOptions.ValidationShare"/>); null without one.</param>
public sealed record LcResult(Network Network, double ReferenceAccuracy, double Accuracy, double AccuracyBeforeFinetune,
    IReadOnlyList<LcStepReport> Steps, double FinalConstraintGap, double FinalRelativeGap, double Seconds, double? ValidationAccuracy = null)
{
    /// <summary>The samples the L steps and the fine-tune trained on: the training set less the held-out share.</summary>
    public required int TrainingSamples { get; init; }

    /// <summary>The fine-tune's epochs scored on the held-out share and the one kept (chosen with <see cref="LcOptions.FinetuneKeepBest"/>);
    /// null without a held-out share or a fine-tune.</summary>
    public FinetuneChoice? Finetune { get; init; }

    /// <summary>For a resumed run, the wall time of the steps its checkpoint held, as they were timed when they ran, by
    /// however many processes (the reports' seconds: the earlier processes' other work is not counted, their reference
    /// evaluation and teacher targets, checkpoint writes, a step cut short by the kill); null for a run that started here.</summary>
    public double? SecondsBeforeResume { get; init; }

    /// <summary>The whole run's wall time: <see cref="SecondsBeforeResume"/> + <see cref="Seconds"/>.</summary>
    public double TotalSeconds => (SecondsBeforeResume ?? 0) + Seconds;
}
