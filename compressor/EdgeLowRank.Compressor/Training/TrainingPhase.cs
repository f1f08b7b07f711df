namespace EdgeLowRank.Compressor.Training;

/// <summary>How a divergence names the run and the options to lower: elr train's, or the fine-tune of elr compress, so a
/// user is pointed at the one option of the command they ran (a user trial read "elr train's --lr, or elr compress's
/// --finetune-lr in the fine-tune" after a fine-tune and had to work out which applied).</summary>
/// <param name="Name">The run, as a sentence starts it: "Training".</param>
/// <param name="RateOption">The learning rate's option, as the advice names it.</param>
/// <param name="WeightDecayOption">The weight decay's option, as the advice names it.</param>
public sealed record TrainingPhase(string Name, string RateOption, string WeightDecayOption)
{
    /// <summary>elr train.</summary>
    public static TrainingPhase Train { get; } = new("Training", "the learning rate (--lr)", "the weight decay (--weight-decay)");

    /// <summary>elr compress's fine-tune.</summary>
    public static TrainingPhase Finetune { get; } = new("The fine-tune", "the fine-tune's rate (--finetune-lr)", "the fine-tune's weight decay (--finetune-weight-decay)");
}
