using static System.FormattableString;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The warning after a fine-tune that made the network worse. Nothing stops one: a rate too high for the network the LC
/// steps left undoes them without diverging (the digits MLP at 8× after 4 steps of 8 epochs: 18.66% before five epochs at
/// η·d³ = 0.0804, 79.67% after, and 89.97% on another seed; 74.37% at 0.08; a user trial found the note's advice to fine-tune doing that without a
/// word), and the fine-tuned model is the one written unless --finetune-best chose an earlier epoch on a held-out share. On LeNet-300-100 fine-tunes also rise a little (0.04–0.20 points,
/// docs/ALGORITHM.md), which is overfitting within what seeds move and is not warned of.
/// </summary>
public static class FinetuneRegression
{
    /// <summary>The warning for a run of <paramref name="options"/> whose fine-tune went from <paramref name="beforeAccuracy"/>
    /// to <paramref name="afterAccuracy"/> on <paramref name="testImages"/> test images, or null when it did not fine-tune or
    /// its error rose by no more than <see cref="ShortScheduleNote.NotableRise"/> and <see cref="ShortScheduleNote.NotableImages"/>.
    /// <paramref name="choice"/> is the epoch --finetune-best kept, if it was given.</summary>
    public static string? Warning(LcOptions options, double beforeAccuracy, double afterAccuracy, int testImages, FinetuneChoice? choice = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        double rise = beforeAccuracy - afterAccuracy;
        // Written so that a NaN accuracy gives no warning: a comparison with NaN is false.
        if (options.FinetuneEpochs == 0 || !(rise > ShortScheduleNote.NotableRise) || !(rise * testImages >= ShortScheduleNote.NotableImages - 0.5)) return null;
        string rate = Invariant($"{options.FinetuneFirstRate:G3}{(options.FinetuneLearningRate is null ? ", the default" : "")}");
        string rose = Invariant($"from {(1 - beforeAccuracy) * 100:F2}% to {(1 - afterAccuracy) * 100:F2}%");
        // The held-out share chose an epoch the test set finds worse: they disagree, which a small share makes likely.
        if (choice is { ChosenBest: true })
            return Invariant($"The fine-tune's epoch {choice.EpochKept}, which --finetune-best kept as the best on the held-out share, raised the test error {rose} ")
                + Invariant($"(from rate {rate}): the held-out share and the test set disagree on it. A larger --validation share chooses more surely; a lower --finetune-lr changes the network less.");
        return Invariant($"The fine-tune raised the test error {rose} ")
            + Invariant($"({options.FinetuneEpochs} epoch{(options.FinetuneEpochs == 1 ? "" : "s")} from rate {rate}), and the model written is the fine-tuned one: ")
            + "its rate was likely too high for the network the LC steps left. Give a lower --finetune-lr (the digits MLP at 8× after 4 steps of "
            + "8 epochs: 74.37% after five epochs at 0.08, 15.32% at 0.01), leave out --finetune-epochs to keep the LC steps' "
            + Invariant($"{(1 - beforeAccuracy) * 100:F2}%, or give --finetune-best to keep the epoch (or the network before the fine-tune) best on a held-out share")
            + (options.ValidationShare is null ? " (with --validation 0.1: a new run, as the share changes the LC steps' training set)." : ".");
    }
}
