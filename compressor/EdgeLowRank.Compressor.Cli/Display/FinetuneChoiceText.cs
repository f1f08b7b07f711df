using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>elr compress's words on the epoch --finetune-best kept, after the test error of the model written.</summary>
internal static class FinetuneChoiceText
{
    /// <summary>" (epoch 3 of 5 kept, the lowest validation error: 2.10% before the fine-tune; 1.95%, 1.90%, 1.85%, 1.88%,
    /// 1.91% after each epoch)", or the same with "the network before the fine-tune kept", and how a diverged fine-tune
    /// ended (its message then follows as a warning); empty without a choice.</summary>
    public static string Of(FinetuneChoice? choice)
    {
        if (choice is null) return "";
        int scored = choice.ValidationAccuracies.Count - 1;
        string kept = choice.EpochKept == 0 ? "the network before the fine-tune kept" : $"epoch {choice.EpochKept} of {scored} kept";
        string after = scored == 0 ? "" : $"; {string.Join(", ", choice.ValidationAccuracies.Skip(1).Select(Error))} after {(scored == 1 ? "its epoch" : "each epoch")}";
        string stopped = choice.Diverged is null ? "" : $"; SGD diverged in epoch {scored + 1}, which ended the fine-tune";
        return $" ({kept}, the lowest validation error: {Error(choice.ValidationAccuracies[0])} before the fine-tune{after}{stopped})";
    }

    // As the rest of the summary line prints errors.
    private static string Error(double accuracy) => $"{1 - accuracy:P2}";
}
