namespace EdgeLowRank.Runtime.Scoring;

/// <summary>
/// How many samples of each true class a classifier gave each class (by <see cref="TopK.Best"/>), with each class's recall
/// (the share of its samples given it) and precision (the share of the samples given it that are of it). Samples whose
/// scores are all NaN are given no class and counted apart, in <see cref="Unclassified"/>; they are wrong. One matrix for
/// elr eval, training's accuracy and elr-run's scoring, so they agree to the sample, a broken model's too.
/// </summary>
public sealed class ConfusionMatrix
{
    /// <summary>[true class, class given]; the last column counts the samples given no class.</summary>
    private readonly int[,] _counts;

    /// <summary>An empty matrix for a classifier of <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        _counts = new int[classes, classes + 1];
    }

    /// <summary>How many classes the classifier has: the rows, and the columns.</summary>
    public int Classes { get; }

    /// <summary>How many samples were counted.</summary>
    public int Total { get; private set; }

    /// <summary>How many were given their true class.</summary>
    public int Correct { get; private set; }

    /// <summary>How many samples counted by their scores (<see cref="Add(ReadOnlySpan{float}, int)"/>) had a NaN or infinite
    /// one. A model that produces them is broken, whatever its accuracy says; those with a number among them were still
    /// given the class of the highest. Samples counted by <see cref="Count"/> bring no scores, so they are not in it.</summary>
    public int NonFinite { get; private set; }

    /// <summary><see cref="Correct"/> / <see cref="Total"/>, 0 when empty.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>How many samples of class <paramref name="trueClass"/> were given class <paramref name="given"/>.</summary>
    public int this[int trueClass, int given] => _counts[trueClass, given];

    /// <summary>Counts one sample of class <paramref name="label"/> whose <see cref="Classes"/> scores are <paramref name="scores"/>.</summary>
    /// <exception cref="ArgumentException">The scores are not one per class, or the label is not a class.</exception>
    public void Add(ReadOnlySpan<float> scores, int label)
    {
        if (scores.Length != Classes)
            throw new ArgumentException($"{scores.Length} scores are not one per class of {Classes}.", nameof(scores));
        Count(label, TopK.Best(scores));
        foreach (float score in scores)
            if (!float.IsFinite(score))
            {
                NonFinite++;
                break;
            }
    }

    /// <summary>Counts a batch: <paramref name="scores"/> holds <paramref name="labels"/>.Length × <see cref="Classes"/> scores.</summary>
    /// <exception cref="ArgumentException">The scores are not one per class per label, or a label is not a class.</exception>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length * Classes)
            throw new ArgumentException($"{scores.Length} scores do not make {labels.Length} samples of {Classes} classes.", nameof(scores));
        // Checked before any is counted, so a refused batch leaves the matrix as it was.
        if (Classes <= byte.MaxValue && labels.IndexOfAnyInRange((byte)Classes, byte.MaxValue) is int wrong and >= 0)
            throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[wrong]} of sample {wrong} is not one of the {Classes} classes.");
        for (int s = 0; s < labels.Length; s++) Add(scores.Slice(s * Classes, Classes), labels[s]);
    }

    /// <summary>Counts one sample of class <paramref name="label"/> given class <paramref name="given"/>, or
    /// <see cref="TopK.NoClass"/>, as a caller that has picked the class already counts it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or the class given is not a class.</exception>
    public void Count(int label, int given)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, Classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(given, TopK.NoClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(given, Classes);
        _counts[label, given == TopK.NoClass ? Classes : given]++;
        Total++;
        if (given == label) Correct++;
    }

    /// <summary>How many samples of class <paramref name="trueClass"/> were given no class (all their scores NaN).</summary>
    public int Unclassified(int trueClass) => _counts[trueClass, Classes];

    /// <summary>Whether any sample was given no class: the reports then show a column of them.</summary>
    public bool AnyUnclassified => Enumerable.Range(0, Classes).Any(trueClass => Unclassified(trueClass) > 0);

    /// <summary>How many samples of class <paramref name="trueClass"/> there are.</summary>
    public int Samples(int trueClass)
    {
        int samples = 0;
        for (int given = 0; given <= Classes; given++) samples += _counts[trueClass, given];
        return samples;
    }

    /// <summary>How many samples were given class <paramref name="given"/>.</summary>
    public int GivenAs(int given)
    {
        int samples = 0;
        for (int trueClass = 0; trueClass < Classes; trueClass++) samples += _counts[trueClass, given];
        return samples;
    }

    /// <summary>The share of the samples of <paramref name="trueClass"/> given it; NaN when there are none.</summary>
    public double Recall(int trueClass) => Share(_counts[trueClass, trueClass], Samples(trueClass));

    /// <summary>The share of the samples given <paramref name="given"/> that are of it; NaN when none were given it.</summary>
    public double Precision(int given) => Share(_counts[given, given], GivenAs(given));

    /// <summary>The <paramref name="count"/> most frequent confusions of one class for another, most samples first (ties
    /// in class order); a pair with no sample is none.</summary>
    public IReadOnlyList<Confusion> MostFrequent(int count)
    {
        var confusions = new List<Confusion>();
        for (int trueClass = 0; trueClass < Classes; trueClass++)
            for (int given = 0; given < Classes; given++)
                if (given != trueClass && _counts[trueClass, given] > 0) confusions.Add(new Confusion(trueClass, given, _counts[trueClass, given]));
        // A stable sort: equal counts stay in class order.
        return [.. confusions.OrderByDescending(c => c.Samples).Take(count)];
    }

    private static double Share(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;
}

/// <summary><paramref name="Samples"/> samples of class <paramref name="TrueClass"/> given class <paramref name="Given"/>.</summary>
public readonly record struct Confusion(int TrueClass, int Given, int Samples);
