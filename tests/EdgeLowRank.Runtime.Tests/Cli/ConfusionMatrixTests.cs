using EdgeLowRank.Runtime.Cli.Scoring;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>elr-run run --confusion: counts, recall and precision by hand on six samples of three classes.</summary>
public sealed class ConfusionMatrixTests
{
    private const float NaN = float.NaN;

    /// <summary>Classes given (true → predicted): 0 → 0, 0 → 1, 1 → 1, 1 → 1, 1 → none (all NaN), 0 → 1. Class 2 has no
    /// sample and is never predicted.</summary>
    private static ConfusionMatrix SixSamples() => new(LabelScore.Of(
        [0.9f, 0.1f, 0f, 0.2f, 0.8f, 0f, 0f, 1f, 0f, 0f, 0.6f, 0.4f, NaN, NaN, NaN, 0.3f, 0.7f, 0f], 3, [0, 0, 1, 1, 1, 0], top: 1), 3);

    [Fact]
    public void Each_sample_is_counted_in_the_row_of_its_label_and_the_column_of_its_class()
    {
        ConfusionMatrix matrix = SixSamples();

        int[,] counts = new int[3, 3];
        for (int t = 0; t < 3; t++)
            for (int p = 0; p < 3; p++) counts[t, p] = matrix[t, p];
        Assert.Equal(new[,] { { 1, 2, 0 }, { 0, 2, 0 }, { 0, 0, 0 } }, counts);
        Assert.Equal([0, 1, 0], Enumerable.Range(0, 3).Select(matrix.Unclassified));
        Assert.Equal([3, 3, 0], Enumerable.Range(0, 3).Select(matrix.Samples));
        Assert.Equal([1, 4, 0], Enumerable.Range(0, 3).Select(matrix.GivenAs));
    }

    [Fact]
    public void Recall_is_over_the_classs_samples_and_precision_over_those_predicted_as_it_NaN_for_none()
    {
        ConfusionMatrix matrix = SixSamples();

        // Class 1's unclassified sample counts against its recall; no prediction, so not against any precision.
        Assert.Equal([1 / 3.0, 2 / 3.0, double.NaN], Enumerable.Range(0, 3).Select(matrix.Recall));
        Assert.Equal([1.0, 0.5, double.NaN], Enumerable.Range(0, 3).Select(matrix.Precision));
    }

    [Fact]
    public void The_most_frequent_confusions_come_first_ties_in_class_order_and_never_the_diagonal()
    {
        // True → predicted: 2 → 0 twice, 1 → 0 once, 0 → 1 once, 0 → 0 three times (right, not a confusion).
        float[] a = [1f, 0f, 0f], b = [0f, 1f, 0f];
        LabelScore score = LabelScore.Of([.. a, .. a, .. a, .. a, .. a, .. a, .. b], 3, [2, 1, 2, 0, 0, 0, 0], top: 1);

        IReadOnlyList<Confusion> frequent = new ConfusionMatrix(score, 3).MostFrequent(5);

        Assert.Equal([new Confusion(2, 0, 2), new Confusion(0, 1, 1), new Confusion(1, 0, 1)], frequent);
        Assert.Equal([new Confusion(2, 0, 2)], new ConfusionMatrix(score, 3).MostFrequent(1));
    }
}
