namespace EdgeLowRank.Compressor.Training;

/// <summary>The learning rate of each epoch (counted from 0).</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate of the first epoch.</summary>
    public abstract double Initial { get; }

    /// <summary>The rate during <paramref name="epoch"/>.</summary>
    public abstract double RateAt(int epoch);

    /// <summary>A short description for reports and model metadata, numbers in the invariant culture.</summary>
    public abstract override string ToString();
}

/// <summary>lr_e = initial · decay^e (a constant rate when decay is 1), as the LC toolkit's 0.1·0.98^k.</summary>
public sealed record ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public ExponentialSchedule(double initial, double decay)
    {
        if (!(initial > 0) || double.IsInfinity(initial)) throw new ArgumentOutOfRangeException(nameof(initial), initial, "The learning rate must be positive.");
        if (!(decay > 0 && decay <= 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay factor must be in (0, 1].");
        Initial = initial;
        Decay = decay;
    }

    /// <inheritdoc/>
    public override double Initial { get; }

    /// <summary>The factor applied after each epoch.</summary>
    public double Decay { get; }

    /// <inheritdoc/>
    public override double RateAt(int epoch) => Initial * Math.Pow(Decay, epoch);

    /// <inheritdoc/>
    public override string ToString() => Decay == 1 ? FormattableString.Invariant($"constant {Initial}") : FormattableString.Invariant($"exponential {Initial}·{Decay}^epoch");
}

/// <summary>lr_e = initial · decay^⌊e / every⌋: the rate drops by <see cref="Decay"/> every <see cref="Every"/> epochs.</summary>
public sealed record StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepSchedule(double initial, double decay, int every)
    {
        if (!(initial > 0) || double.IsInfinity(initial)) throw new ArgumentOutOfRangeException(nameof(initial), initial, "The learning rate must be positive.");
        if (!(decay > 0 && decay <= 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay factor must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        Initial = initial;
        Decay = decay;
        Every = every;
    }

    /// <inheritdoc/>
    public override double Initial { get; }

    /// <summary>The factor applied at each step.</summary>
    public double Decay { get; }

    /// <summary>Epochs between steps.</summary>
    public int Every { get; }

    /// <inheritdoc/>
    public override double RateAt(int epoch) => Initial * Math.Pow(Decay, epoch / Every);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"step {Initial}·{Decay}^⌊epoch/{Every}⌋");
}
