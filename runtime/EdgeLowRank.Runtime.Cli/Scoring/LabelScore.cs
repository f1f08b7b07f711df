using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Cli.Scoring;

/// <summary>
/// `elr-run run --labels`: the outputs of the samples run, scored against their true classes. A sample's class is its first
/// highest output, as the printed classes take it (<see cref="TopK"/>: NaN last, ties to the lower class); it is right at
/// top-k when its label is among its k best outputs and that output is a number. The top-1 and top-k accuracy are those
/// TensorFlow Lite's accuracy tools report on a device.
/// </summary>
internal sealed class LabelScore
{
    private readonly int[] _predicted;
    private readonly long[] _labels;

    private LabelScore(int[] predicted, long[] labels, int classes, int k, int wrongAtK)
    {
        _predicted = predicted;
        Classes = classes;
        _labels = labels;
        K = k;
        WrongAtK = wrongAtK;
        for (int s = 0; s < labels.Length; s++)
            if (IsWrong(s)) Wrong++;
    }

    /// <summary>How many classes the model has.</summary>
    public int Classes { get; }

    /// <summary>How many samples were scored.</summary>
    public int Samples => _labels.Length;

    /// <summary>How many samples' class is not their label (top-1).</summary>
    public int Wrong { get; }

    /// <summary>The k of the top-k accuracy: 1 when only the top-1 accuracy was asked or means anything.</summary>
    public int K { get; }

    /// <summary>How many samples' label is not among their <see cref="K"/> best outputs.</summary>
    public int WrongAtK { get; }

    /// <summary>Scores the outputs of <paramref name="labels"/>.Length samples of <paramref name="classes"/> outputs each, at
    /// top-1 and at top-<paramref name="top"/>. A k of all the classes or more would put every label among the best, so it is
    /// scored at top-1 only.</summary>
    public static LabelScore Of(ReadOnlySpan<float> outputs, int classes, ReadOnlySpan<long> labels, int top)
    {
        int k = top < classes ? top : 1;
        var predicted = new int[labels.Length];
        int wrongAtK = 0;
        Span<int> best = stackalloc int[k];
        for (int s = 0; s < labels.Length; s++)
        {
            ReadOnlySpan<float> scores = outputs.Slice(s * classes, classes);
            predicted[s] = TopK.Best(scores);
            int label = (int)labels[s];
            TopK.Select(scores, best);
            if (float.IsNaN(scores[label]) || !best.Contains(label)) wrongAtK++;
        }
        return new LabelScore(predicted, labels.ToArray(), classes, k, wrongAtK);
    }

    /// <summary>The class of <paramref name="sample"/>, or <see cref="TopK.NoClass"/>.</summary>
    public int Predicted(int sample) => _predicted[sample];

    /// <summary>The true class of <paramref name="sample"/>.</summary>
    public int Label(int sample) => (int)_labels[sample];

    /// <summary>Whether the class of <paramref name="sample"/> is not its label (top-1).</summary>
    public bool IsWrong(int sample) => _predicted[sample] != _labels[sample];

    /// <summary>The confusion matrix of the samples scored, by the classes taken here.</summary>
    public ConfusionMatrix Confusion()
    {
        var matrix = new ConfusionMatrix(Classes);
        for (int s = 0; s < Samples; s++) matrix.Count(Label(s), Predicted(s));
        return matrix;
    }

    /// <summary>"accuracy 99.44% (2 of 359 wrong) against labels.npy", and for a k above 1 a second line, "top-3 accuracy
    /// 100.00% (0 of 359 with the label outside the best 3)". The first line is as it was before top-k, for the scripts that read it.</summary>
    public string Summary(string path)
    {
        string summary = $"accuracy {Percent(Wrong)} ({Units.Count(Wrong)} of {Units.Count(Samples)} wrong) against {path}";
        return K == 1 ? summary
            : summary + Environment.NewLine + $"top-{K} accuracy {Percent(WrongAtK)} ({Units.Count(WrongAtK)} of {Units.Count(Samples)} with the label outside the best {K})";
    }

    private string Percent(int wrong) => Units.Fixed(100.0 * (Samples - wrong) / Samples, "0.00") + "%";
}
