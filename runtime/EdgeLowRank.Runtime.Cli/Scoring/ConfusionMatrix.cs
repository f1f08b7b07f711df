namespace EdgeLowRank.Runtime.Cli.Scoring;

/// <summary>
/// `elr-run run --labels --confusion`: how many samples of each true class the model gave each class, with each class's
/// recall (the share of its samples given it) and precision (the share of the samples given it that are of it). Samples
/// whose outputs are all NaN are given no class and counted apart, in <see cref="Unclassified"/>.
/// </summary>
internal sealed class ConfusionMatrix
{
    /// <summary>[true class, class given]; the last column counts the samples given no class.</summary>
    private readonly int[,] _counts;

    /// <summary>Counts the samples of <paramref name="score"/>, for a model of <paramref name="classes"/> outputs.</summary>
    public ConfusionMatrix(LabelScore score, int classes)
    {
        Classes = classes;
        _counts = new int[classes, classes + 1];
        for (int s = 0; s < score.Samples; s++)
        {
            int given = score.Predicted(s);
            _counts[score.Label(s), given == LabelScore.NoClass ? classes : given]++;
        }
    }

    /// <summary>How many classes the model has: the rows, and the columns.</summary>
    public int Classes { get; }

    /// <summary>How many samples of class <paramref name="trueClass"/> the model gave class <paramref name="given"/>.</summary>
    public int this[int trueClass, int given] => _counts[trueClass, given];

    /// <summary>How many samples of class <paramref name="trueClass"/> the model gave no class (all their outputs NaN).</summary>
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

    /// <summary>How many samples the model gave class <paramref name="given"/>.</summary>
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
internal readonly record struct Confusion(int TrueClass, int Given, int Samples);
