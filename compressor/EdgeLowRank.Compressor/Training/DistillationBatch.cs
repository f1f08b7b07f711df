namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The teacher's side of one batch for <see cref="DistillationLoss"/>: its softened probabilities per
/// sample (batch × classes, in the batch's order), the soft term's weight α and the temperature T.
/// The default value means no distillation: the plain cross-entropy.
/// </summary>
public readonly ref struct DistillationBatch
{
    /// <summary>A batch's teacher probabilities with α and T.</summary>
    public DistillationBatch(ReadOnlySpan<float> probabilities, float weight, float temperature)
    {
        Probabilities = probabilities;
        Weight = weight;
        Temperature = temperature;
    }

    /// <summary>batch × classes teacher probabilities.</summary>
    public ReadOnlySpan<float> Probabilities { get; }

    /// <summary>α.</summary>
    public float Weight { get; }

    /// <summary>T.</summary>
    public float Temperature { get; }

    /// <summary>True when there is no teacher (or α = 0): the loss is the plain cross-entropy.</summary>
    public bool IsNone => Probabilities.IsEmpty || Weight == 0;
}
