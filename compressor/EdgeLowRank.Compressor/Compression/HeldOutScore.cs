using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// A network's accuracy and mean cross-entropy on the held-out share, by which --finetune-best chooses an epoch: the
/// accuracy first, as the test error the user reads is one, and the loss on equal accuracies. A held-out share is small
/// (145 of the digits at 0.1, where one image is 0.69 points), so epochs often tie on accuracy while their loss still
/// tells them apart.
/// </summary>
/// <param name="Accuracy">The share of held-out samples classified right (as <see cref="Trainer.Evaluate(Network, Dataset, ComputeThreads)"/> counts it).</param>
/// <param name="Loss">The mean cross-entropy of the held-out samples (no label smoothing).</param>
public readonly record struct HeldOutScore(double Accuracy, double Loss)
{
    /// <summary>Scores <paramref name="network"/> on <paramref name="data"/> in evaluation mode, in batches of its
    /// <see cref="Network.MaxBatch"/>, as <see cref="Trainer.Evaluate(Network, Dataset, ComputeThreads)"/> does.</summary>
    internal static HeldOutScore Of(Network network, Dataset data, ComputeThreads threads)
    {
        int classes = network.OutputShape.ElementCount;
        var matrix = new ConfusionMatrix(classes);
        // The loss's gradient is not wanted, but the loss writes one.
        var unusedGradient = new float[network.MaxBatch * classes];
        double lossSum = 0;
        Trainer.ForEachBatch(network, data, threads, (logits, labels) =>
        {
            matrix.Add(logits, labels);
            lossSum += labels.Length * SoftmaxCrossEntropy.Compute(logits, labels, classes, unusedGradient.AsSpan(0, logits.Length));
        });
        return new HeldOutScore(matrix.Accuracy, lossSum / data.Count);
    }

    /// <summary>Whether this score is better than <paramref name="other"/>: a higher accuracy, or the same with a lower loss.
    /// False for equal scores, and for a NaN loss against a number.</summary>
    public bool Beats(HeldOutScore other) => Accuracy > other.Accuracy || (Accuracy == other.Accuracy && Loss < other.Loss);
}
