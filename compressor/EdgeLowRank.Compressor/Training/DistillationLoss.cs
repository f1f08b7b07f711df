namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Knowledge distillation (Hinton, Vinyals and Dean, 2015): per sample
/// (1 − α)·CE(softmax(z), y) + α·T²·KL(q ‖ softmax(z/T)), where y is the label (smoothed, with label smoothing:
/// <see cref="SoftmaxCrossEntropy"/>) and q = softmax(t/T) are the teacher's
/// softened probabilities. The T² keeps the soft term's gradient, α·T·(softmax(z/T) − q), on the scale
/// of the hard term's as T changes. α = 0 is the plain cross-entropy.
/// </summary>
internal static class DistillationLoss
{
    /// <summary>The summed loss of some samples; gradients scaled by <paramref name="scale"/> like <see cref="SoftmaxCrossEntropy.Sum"/>.</summary>
    /// <param name="logits">samples × classes student scores.</param>
    /// <param name="labels">One label per sample.</param>
    /// <param name="teacher">samples × classes teacher probabilities q, softened with <paramref name="temperature"/>.</param>
    /// <param name="classes">Classes per sample.</param>
    /// <param name="weight">α, the soft term's share, in [0, 1].</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="scale">Factor on every gradient (1 / the whole batch).</param>
    /// <param name="logitGradient">samples × classes, written.</param>
    /// <param name="smoothing">Label smoothing ε of the hard term, in [0, 1).</param>
    public static double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, ReadOnlySpan<float> teacher, int classes, float weight,
        float temperature, float scale, Span<float> logitGradient, float smoothing = 0)
    {
        double total = (1 - weight) * SoftmaxCrossEntropy.Sum(logits, labels, classes, scale * (1 - weight), logitGradient, smoothing);
        Span<float> softened = stackalloc float[classes];
        float softScale = scale * weight * temperature;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> q = teacher.Slice(b * classes, classes);
            Span<float> gradient = logitGradient.Slice(b * classes, classes);
            double logSum = SoftenedSoftmax(logits.Slice(b * classes, classes), temperature, softened);
            double divergence = 0;
            for (int c = 0; c < classes; c++)
            {
                // KL(q ‖ s) = Σ q (log q − log s), log s_c = z_c/T − log Σ exp(z/T); 0·log 0 = 0.
                if (q[c] > 0) divergence += q[c] * (Math.Log(q[c]) - (logits[b * classes + c] / temperature - logSum));
                gradient[c] += softScale * (softened[c] - q[c]);
            }
            total += weight * temperature * temperature * divergence;
        }
        return total;
    }

    /// <summary>softmax(<paramref name="logits"/>/T) into <paramref name="probabilities"/>; returns log Σ exp(z/T).</summary>
    public static double SoftenedSoftmax(ReadOnlySpan<float> logits, float temperature, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        double sum = 0;
        for (int c = 0; c < logits.Length; c++) sum += Math.Exp((logits[c] - max) / temperature);
        for (int c = 0; c < logits.Length; c++) probabilities[c] = (float)(Math.Exp((logits[c] - max) / temperature) / sum);
        return Math.Log(sum) + max / temperature;
    }
}
