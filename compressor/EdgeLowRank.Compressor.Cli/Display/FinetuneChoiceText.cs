using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>elr compress's words on the epoch --finetune-best kept, after the test error of the model written.</summary>
internal static class FinetuneChoiceText
{
    /// <summary>" (epoch 5 of 5 kept, the best on the held-out share: validation error 28.97% before the fine-tune; 24.83%,
    /// 19.31%, 17.24%, 17.24%, 15.86% after epochs 1–5)", or " (fine-tune discarded, the network before it kept as the best
    /// on the held-out share: …; SGD diverged in epoch 2 of 5, which ended it)", and which epochs the held-out loss chose
    /// among; empty without --finetune-best.</summary>
    public static string Of(FinetuneChoice? choice)
    {
        if (choice is not { ChosenBest: true }) return "";
        int scored = choice.Scores.Count - 1;
        string kept = choice.EpochKept == 0 ? "fine-tune discarded, the network before it kept as the best on the held-out share"
            : $"epoch {choice.EpochKept} of {choice.Epochs} kept, the best on the held-out share";
        string after = scored == 0 ? "" : $"; {string.Join(", ", choice.Scores.Skip(1).Select(s => Error(s.Accuracy)))} after {(scored == 1 ? "epoch 1" : $"epochs 1–{scored}")}";
        string stopped = choice.Diverged is null ? "" : $"; SGD diverged in epoch {scored + 1} of {choice.Epochs}, which ended it";
        string tie = choice.TieBrokenByLoss ? $"; the held-out loss chose among those of {Error(choice.Scores[choice.EpochKept].Accuracy)}" : "";
        return $" ({kept}: validation error {Error(choice.Scores[0].Accuracy)} before the fine-tune{after}{stopped}{tie})";
    }

    /// <summary>What --finetune-best kept, for the warning after a diverged fine-tune: "the network before the fine-tune", "epoch 3".</summary>
    public static string Kept(FinetuneChoice choice) => choice.EpochKept == 0 ? "the network before the fine-tune" : $"epoch {choice.EpochKept}";

    // As the rest of the summary line prints errors.
    private static string Error(double accuracy) => $"{1 - accuracy:P2}";
}
