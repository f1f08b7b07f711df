namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The loss of a classifier: the mean over the batch of −log softmax(logits)[label], and its
/// gradient (softmax − one-hot) / batch. Computed in one pass from the logits, with the maximum
/// subtracted first so large logits cannot overflow.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss and writes d(mean loss)/d(logits) into <paramref name="logitGradient"/>.</summary>
    /// <param name="logits">batch × classes scores.</param>
    /// <param name="labels">One label per sample, below <paramref name="classes"/>.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="logitGradient">batch × classes.</param>
    public static double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int classes, Span<float> logitGradient)
    {
        int batch = labels.Length;
        if (logits.Length != batch * classes || logitGradient.Length < logits.Length)
            throw new ArgumentException($"{logits.Length} logits do not make {batch} samples of {classes} classes.", nameof(logits));
        return Sum(logits, labels, classes, 1f / batch, logitGradient) / batch;
    }

    /// <summary>The summed (not mean) loss of some samples; the gradient is (softmax − one-hot)·<paramref name="scale"/>,
    /// so a shard of a batch passes 1 / (the whole batch) and its gradients are those of the batch's mean loss.</summary>
    internal static double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int classes, float scale, Span<float> logitGradient)
    {
        int batch = labels.Length;
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = logits.Slice(b * classes, classes);
            Span<float> gradient = logitGradient.Slice(b * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in row) max = MathF.Max(max, v);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(row[c] - max);
            for (int c = 0; c < classes; c++) gradient[c] = (float)(Math.Exp(row[c] - max) / sum) * scale;
            gradient[labels[b]] -= scale;
            total += Math.Log(sum) + max - row[labels[b]];
        }
        return total;
    }
}
