namespace EdgeLowRank.Compressor.Training;

/// <summary>The settings of one training run; with the data and the seed they fix the result
/// (for a given thread count; in practice the kernels make it independent of the thread count too).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per step; the last batch of an epoch holds the remainder.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The learning rate per epoch.</summary>
    public LearningRateSchedule Schedule { get; init; } = new ExponentialSchedule(0.1, 1);

    /// <summary>Nesterov momentum μ.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay on the weights.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Label smoothing ε of the cross-entropy, in [0, 1): the target of a sample is (1 − ε)·one-hot + ε/K (<see cref="SoftmaxCrossEntropy"/>); 0 is the plain cross-entropy.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Seeds the initialization and the shuffling.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads for the kernels.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Which run this is, for the words of a divergence; not a setting of the result.</summary>
    public TrainingPhase Phase { get; init; } = TrainingPhase.Train;

    /// <summary>Throws <see cref="TrainingException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new TrainingException($"The number of epochs must be at least 1, not {Epochs}.");
        if (TrainingLimits.SgdSettingsProblem(Momentum, BatchSize, Threads) is string problem) throw new TrainingException(problem);
        if (WeightDecay < 0 || double.IsNaN(WeightDecay)) throw new TrainingException($"The weight decay must be a number ≥ 0, not {WeightDecay}.");
        if (TrainingLimits.LabelSmoothingProblem(LabelSmoothing) is string smoothing) throw new TrainingException(smoothing);
    }

    /// <summary>The settings as metadata properties (keys prefixed "train."), numbers in the invariant culture.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToProperties() =>
    [
        new("train.epochs", Epochs.ToString()),
        new("train.batch", BatchSize.ToString()),
        new("train.lr", Schedule.ToString()),
        new("train.optimizer", FormattableString.Invariant($"sgd nesterov momentum {Momentum}")),
        new("train.weight-decay", WeightDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        new("train.label-smoothing", LabelSmoothing.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        new("train.seed", Seed.ToString()),
        new("train.threads", Threads.ToString()),
    ];
}
