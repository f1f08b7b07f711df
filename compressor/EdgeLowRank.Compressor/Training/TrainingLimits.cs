namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The largest batch and thread count the tools accept. Beyond them a run does not get faster, only fails late: a batch's
/// activations are allocated whole (2^31 samples overflowed an array size), and every thread gets its own buffers
/// (100,000 threads ran out of memory after a full epoch).
/// </summary>
public static class TrainingLimits
{
    /// <summary>Samples per batch, at most.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>Threads, at most (as elr-run bench allows).</summary>
    public const int MaxThreads = 256;

    /// <summary>What is wrong with a share of the training set to hold out for validation (`--validation`), or null when nothing is.</summary>
    public static string? ValidationShareProblem(double share) =>
        share is > 0 and < 1 ? null : $"--validation is the share of the training set held out, between 0 and 1 (such as 0.1), not {share}.";

    /// <summary>What is wrong with a label smoothing ε (`--label-smoothing`), or null when nothing is. ε = 1 would make every
    /// target uniform, so nothing about the labels would be learnt.</summary>
    public static string? LabelSmoothingProblem(double smoothing) =>
        smoothing is >= 0 and < 1 ? null : $"--label-smoothing is the share ε of each target spread over all classes, in [0, 1) (such as 0.1), not {smoothing}.";

    /// <summary>What is wrong with the SGD settings training and the L steps share, or null when nothing is; each caller throws its own exception with it.</summary>
    public static string? SgdSettingsProblem(double momentum, int batchSize, int threads) =>
        momentum is < 0 or >= 1 || double.IsNaN(momentum) ? $"The momentum must be in [0, 1), not {momentum}."
        : batchSize is < 1 or > MaxBatchSize ? $"The batch size must be between 1 and {MaxBatchSize:N0}, not {batchSize:N0}."
        : threads is < 1 or > MaxThreads ? $"The thread count must be between 1 and {MaxThreads}, not {threads:N0}."
        : null;

    /// <summary>What is wrong with a learning-rate schedule, or null when nothing is. Training computes in single precision: a
    /// rate that is 0 there (`--lr 1e-46`, or `--lr-decay 1e-320` after one epoch) stops every weight from that point on,
    /// and the run would go on as if it trained.</summary>
    /// <param name="firstRate">The rate of the first epoch or step.</param>
    /// <param name="lastRate">The rate of the last one; a schedule only decays, so no rate between is smaller.</param>
    /// <param name="where">How messages name the last epoch or step ("epoch 30").</param>
    /// <param name="rateOption">The option that sets the first rate ("--lr").</param>
    /// <param name="decayOption">The option that sets its decay ("--lr-decay").</param>
    public static string? VanishingRateProblem(double firstRate, double lastRate, string where, string rateOption, string decayOption) =>
        (float)firstRate == 0 ? $"{rateOption} {firstRate} is below the smallest single-precision number training computes with, so no weight would move; give a larger {rateOption}."
        : (float)lastRate == 0 ? $"The learning rate falls to {lastRate:G3} by {where}, below the smallest single-precision number training computes with, so the weights would stop moving there; raise {decayOption}."
        : null;
}
