using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The fine-tune after the LC steps: SGD on the factorized network, its ranks fixed. With
/// <see cref="LcOptions.FinetuneKeepBest"/> it scores the held-out share before the first epoch and after each, and leaves
/// the network as it was at the best of them, as Keras's EarlyStopping(restore_best_weights=True) and a best-checkpoint
/// callback of PyTorch Lightning do: a fine-tune at too high a rate can undo the LC steps without diverging (the digits MLP
/// at 8×: 18.66% error before five epochs at 0.08, 79.67% after), and choosing by the held-out share, not the test set,
/// keeps the test error an honest measure of the model written.
/// </summary>
internal static class Finetuning
{
    /// <summary>Fine-tunes <paramref name="network"/> on <paramref name="train"/> by <paramref name="options"/>.</summary>
    /// <param name="network">The factorized network, changed in place.</param>
    /// <param name="train">The training samples (less the held-out share).</param>
    /// <param name="validation">The held-out share; required when <see cref="LcOptions.FinetuneKeepBest"/> is set.</param>
    /// <param name="options">Epochs, rates and whether to keep the best epoch.</param>
    /// <param name="threads">The threads evaluation runs on.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The epoch kept and the held-out accuracies, or null when the best epoch was not asked for.</returns>
    /// <exception cref="TrainingException">Without <see cref="LcOptions.FinetuneKeepBest"/>: SGD diverged (with it, the
    /// fine-tune stops there and keeps its best epoch).</exception>
    public static FinetuneChoice? Run(Network network, Dataset train, Dataset? validation, LcOptions options, ComputeThreads threads,
        CancellationToken cancellationToken)
    {
        if (options.FinetuneEpochs == 0) return null;
        var trainer = new Trainer(network, TrainingOptions(options));
        if (!options.FinetuneKeepBest)
        {
            for (int epoch = 0; epoch < options.FinetuneEpochs; epoch++) trainer.RunEpoch(train, epoch, cancellationToken: cancellationToken);
            return null;
        }
        Dataset heldOut = validation ?? throw new ArgumentException("Keeping the fine-tune's best epoch needs the held-out share to choose it by.", nameof(validation));
        var accuracies = new List<double> { Trainer.Evaluate(network, heldOut, threads).Accuracy };
        float[][] best = network.TrainedState.Select(values => (float[])values.Clone()).ToArray();
        int kept = 0;
        string? diverged = null;
        for (int epoch = 0; epoch < options.FinetuneEpochs && diverged is null; epoch++)
        {
            try
            {
                trainer.RunEpoch(train, epoch, cancellationToken: cancellationToken);
            }
            catch (TrainingException e)
            {
                // The only failure of an epoch on the data the L steps trained on: SGD diverged. Its weights are garbage,
                // the best epoch so far is not, and the LC steps' hours are not lost for a fine-tune's rate.
                diverged = e.Message;
                break;
            }
            accuracies.Add(Trainer.Evaluate(network, heldOut, threads).Accuracy);
            // Strictly better: on a tie the earlier epoch, nearer the LC steps' solution, is kept.
            if (!(accuracies[^1] > accuracies[kept])) continue;
            kept = epoch + 1;
            Copy(network.TrainedState, best);
        }
        if (kept != accuracies.Count - 1 || diverged is not null) Copy(best, network.TrainedState);
        return new FinetuneChoice(kept, accuracies, diverged);
    }

    /// <summary>The fine-tune's training settings: its own epochs, rates, weight decay and shuffling seed on the L steps' shared ones.</summary>
    internal static TrainingOptions TrainingOptions(LcOptions options) => options.SharedTraining() with
    {
        Epochs = options.FinetuneEpochs, WeightDecay = options.FinetuneWeightDecay, Seed = options.Seed ^ 0xF1AE,
        Schedule = options.FinetuneSchedule,
    };

    /// <summary>Copies each array of <paramref name="from"/> into the array of <paramref name="to"/> at its place (of the same length).</summary>
    private static void Copy(IEnumerable<float[]> from, IEnumerable<float[]> to)
    {
        foreach ((float[] source, float[] target) in from.Zip(to)) source.CopyTo(target, 0);
    }
}

/// <summary>Which fine-tune epoch the network was left at, chosen on the held-out share.</summary>
/// <param name="EpochKept">0 for the network before the fine-tune, e for the one after epoch e.</param>
/// <param name="ValidationAccuracies">The held-out accuracy before the fine-tune (index 0) and after each epoch run.</param>
/// <param name="Diverged">Why the fine-tune stopped early, its SGD having diverged in the epoch after the last one scored; null when it ran every epoch.</param>
public sealed record FinetuneChoice(int EpochKept, IReadOnlyList<double> ValidationAccuracies, string? Diverged = null);
