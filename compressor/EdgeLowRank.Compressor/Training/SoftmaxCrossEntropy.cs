namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The loss of a classifier: the mean over the batch of the cross-entropy −Σ_c y_c·log softmax(logits)_c, and its
/// gradient (softmax − y) / batch. The target y is the one-hot label, or with label smoothing ε (Szegedy et al.,
/// 2016; PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>) the mixture (1 − ε)·one-hot + ε/K over K classes,
/// which keeps the logits from growing without bound to fit the training labels exactly. Computed in one pass
/// from the logits, with the maximum subtracted first so large logits cannot overflow.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss and writes d(mean loss)/d(logits) into <paramref name="logitGradient"/>.</summary>
    /// <param name="logits">batch × classes scores.</param>
    /// <param name="labels">One label per sample, below <paramref name="classes"/>.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="logitGradient">batch × classes.</param>
    /// <param name="smoothing">Label smoothing ε in [0, 1); 0 is the plain cross-entropy.</param>
    public static double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int classes, Span<float> logitGradient, float smoothing = 0)
    {
        int batch = labels.Length;
        if (logits.Length != batch * classes || logitGradient.Length < logits.Length)
            throw new ArgumentException($"{logits.Length} logits do not make {batch} samples of {classes} classes.", nameof(logits));
        return Sum(logits, labels, classes, 1f / batch, logitGradient, smoothing) / batch;
    }

    /// <summary>The summed (not mean) loss of some samples; the gradient is (softmax − y)·<paramref name="scale"/>,
    /// so a shard of a batch passes 1 / (the whole batch) and its gradients are those of the batch's mean loss.</summary>
    internal static double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int classes, float scale, Span<float> logitGradient, float smoothing)
    {
        int batch = labels.Length;
        // y_c is ε/K for every class, plus 1 − ε for the label's.
        float onLabel = 1 - smoothing, spread = smoothing / classes, spreadGradient = scale * smoothing / classes;
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
            if (smoothing > 0)
                for (int c = 0; c < classes; c++) gradient[c] -= spreadGradient;
            gradient[labels[b]] -= scale * onLabel;
            double logSum = Math.Log(sum) + max; // −log softmax_c = logSum − z_c
            total += onLabel * (logSum - row[labels[b]]);
            if (smoothing > 0)
                for (int c = 0; c < classes; c++) total += spread * (logSum - row[c]);
        }
        return total;
    }
}
