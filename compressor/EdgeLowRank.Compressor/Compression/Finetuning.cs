using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The fine-tune after the LC steps: SGD on the factorized network, its ranks fixed. With
/// <see cref="LcOptions.FinetuneKeepBest"/> it scores the held-out share before the first epoch and after each
/// (<see cref="HeldOutScore"/>), and leaves the network as it was at the best of them, much as Keras's
/// EarlyStopping(restore_best_weights=True) does, except that the network before the fine-tune is a candidate too and
/// every epoch runs: a fine-tune at too high a rate can undo the LC steps without diverging (the digits MLP at 8×: 18.66%
/// error before five epochs at 0.08, 74.37% after), and choosing by the held-out share, not the test set, keeps the test
/// error an honest measure of the model written.
/// </summary>
internal static class Finetuning
{
    /// <summary>Fine-tunes <paramref name="network"/> on <paramref name="train"/> by <paramref name="options"/>.</summary>
    /// <param name="network">The factorized network, changed in place.</param>
    /// <param name="train">The training samples (less the held-out share).</param>
    /// <param name="validation">The held-out share, which scores every epoch; required when <see cref="LcOptions.FinetuneKeepBest"/> is set.</param>
    /// <param name="options">Epochs, rates and whether to keep the best epoch.</param>
    /// <param name="threads">The threads evaluation runs on.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The epoch kept and the held-out scores, or null without a held-out share or a fine-tune.</returns>
    /// <exception cref="TrainingDivergedException">Without <see cref="LcOptions.FinetuneKeepBest"/>: SGD diverged (with it,
    /// the fine-tune stops there and keeps its best epoch).</exception>
    public static FinetuneChoice? Run(Network network, Dataset train, Dataset? validation, LcOptions options, ComputeThreads threads,
        CancellationToken cancellationToken)
    {
        if (options.FinetuneEpochs == 0) return null;
        var trainer = new Trainer(network, TrainingOptions(options));
        if (validation is null)
        {
            // Validate() refuses --finetune-best without a held-out share.
            for (int epoch = 0; epoch < options.FinetuneEpochs; epoch++) trainer.RunEpoch(train, epoch, cancellationToken: cancellationToken);
            return null;
        }
        // With a held-out share every epoch is scored, as Keras's History records val_accuracy, so a run without
        // --finetune-best still shows in its log whether the option would have kept another epoch.
        var scores = new List<HeldOutScore> { HeldOutScore.Of(network, validation, threads) };
        float[][]? best = options.FinetuneKeepBest ? network.TrainedState.Select(values => (float[])values.Clone()).ToArray() : null;
        int kept = 0;
        string? diverged = null;
        for (int epoch = 0; epoch < options.FinetuneEpochs; epoch++)
        {
            try
            {
                trainer.RunEpoch(train, epoch, cancellationToken: cancellationToken);
            }
            catch (TrainingDivergedException e) when (best is not null)
            {
                // The epoch's weights are garbage, the best epoch so far is not, and the LC steps' hours are not lost for a
                // fine-tune's rate.
                diverged = e.Message;
                break;
            }
            scores.Add(HeldOutScore.Of(network, validation, threads));
            if (best is null)
            {
                kept = epoch + 1;
                continue;
            }
            // Equal scores keep the earlier epoch, nearer the LC steps' solution.
            if (!scores[^1].Beats(scores[kept])) continue;
            kept = epoch + 1;
            Copy(network.TrainedState, best);
        }
        if (best is not null && (kept != scores.Count - 1 || diverged is not null)) Copy(best, network.TrainedState);
        return new FinetuneChoice(kept, options.FinetuneEpochs, scores, options.FinetuneKeepBest, diverged);
    }

    /// <summary>The fine-tune's training settings: its own epochs, rates, weight decay and shuffling seed on the L steps' shared ones.</summary>
    internal static TrainingOptions TrainingOptions(LcOptions options) => options.SharedTraining() with
    {
        Epochs = options.FinetuneEpochs, WeightDecay = options.FinetuneWeightDecay, Seed = options.Seed ^ 0xF1AE,
        Schedule = options.FinetuneSchedule, Phase = TrainingPhase.Finetune,
    };

    /// <summary>Copies each array of <paramref name="from"/> into the array of <paramref name="to"/> at its place (of the same length).</summary>
    private static void Copy(IEnumerable<float[]> from, IEnumerable<float[]> to)
    {
        foreach ((float[] source, float[] target) in from.Zip(to)) source.CopyTo(target, 0);
    }
}

/// <summary>The fine-tune's epochs scored on the held-out share, and which one the network was left at.</summary>
/// <param name="EpochKept">0 for the network before the fine-tune, e for the one after epoch e; the last epoch run unless
/// <paramref name="ChosenBest"/>.</param>
/// <param name="Epochs">The epochs the fine-tune was to run (--finetune-epochs).</param>
/// <param name="Scores">The held-out score before the fine-tune (index 0) and after each epoch run.</param>
/// <param name="ChosenBest">Whether --finetune-best chose the epoch kept.</param>
/// <param name="Diverged">Why the fine-tune stopped early, its SGD having diverged in the epoch after the last one scored
/// (only with <paramref name="ChosenBest"/>: without it a divergence fails the run); null when it ran every epoch.</param>
public sealed record FinetuneChoice(int EpochKept, int Epochs, IReadOnlyList<HeldOutScore> Scores, bool ChosenBest, string? Diverged = null)
{
    /// <summary>Whether another epoch (before or after) had the kept one's held-out accuracy, so that the held-out loss, or
    /// on equal losses the order, chose between them.</summary>
    public bool TieBrokenByLoss => ChosenBest && Scores.Where((_, epoch) => epoch != EpochKept).Any(s => s.Accuracy == Scores[EpochKept].Accuracy);
}
