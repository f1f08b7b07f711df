namespace EdgeLowRank.Compressor.Training;

/// <summary>Counts of (true class, predicted class) pairs, the prediction being the highest score (the first on a tie).</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>The number counted correctly.</summary>
    public long Correct { get; private set; }

    /// <summary>How many samples had a NaN or infinite score. They are counted like the others, by the rule above, but their
    /// prediction means nothing: a model that produces them is broken, whatever its accuracy says.</summary>
    public long NonFinite { get; private set; }

    /// <summary>Correct / total, 0 when empty.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual * Classes + predicted];

    /// <summary>Counts a batch: <paramref name="scores"/> holds labels.Length × classes scores (logits or probabilities).</summary>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length * Classes)
            throw new ArgumentException($"{scores.Length} scores do not make {labels.Length} samples of {Classes} classes.", nameof(scores));
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> row = scores.Slice(b * Classes, Classes);
            int predicted = 0;
            for (int c = 1; c < Classes; c++)
                if (row[c] > row[predicted]) predicted = c;
            foreach (float score in row)
                if (!float.IsFinite(score))
                {
                    NonFinite++;
                    break;
                }
            _counts[labels[b] * Classes + predicted]++;
            Total++;
            if (predicted == labels[b]) Correct++;
        }
    }
}
