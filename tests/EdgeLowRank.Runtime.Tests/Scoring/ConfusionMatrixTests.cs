using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Tests.Scoring;

/// <summary>The confusion matrix elr eval, training and elr-run run --confusion share: counts, recall and precision by hand
/// on six samples of three classes, and what NaN scores get.</summary>
public sealed class ConfusionMatrixTests
{
    private const float NaN = float.NaN;

    /// <summary>Classes given (true → predicted): 0 → 0, 0 → 1, 1 → 1, 1 → 1, 1 → none (all NaN), 0 → 1. Class 2 has no
    /// sample and is never predicted.</summary>
    private static ConfusionMatrix SixSamples()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add([0.9f, 0.1f, 0f, 0.2f, 0.8f, 0f, 0f, 1f, 0f, 0f, 0.6f, 0.4f, NaN, NaN, NaN, 0.3f, 0.7f, 0f], [0, 0, 1, 1, 1, 0]);
        return matrix;
    }

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
        Assert.Equal((6, 3, 0.5), (matrix.Total, matrix.Correct, matrix.Accuracy));
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
        var matrix = new ConfusionMatrix(3);
        foreach ((int label, int given) in new[] { (2, 0), (1, 0), (2, 0), (0, 0), (0, 0), (0, 0), (0, 1) }) matrix.Count(label, given);

        Assert.Equal([new Confusion(2, 0, 2), new Confusion(0, 1, 1), new Confusion(1, 0, 1)], matrix.MostFrequent(5));
        Assert.Equal([new Confusion(2, 0, 2)], matrix.MostFrequent(1));
    }

    [Fact]
    public void The_highest_score_is_the_class_the_first_on_a_tie()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add([0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f], [1, 1]);

        Assert.Equal((1, 1), (matrix[1, 1], matrix[1, 0]));
        Assert.Equal((0.5, 0), (matrix.Accuracy, matrix.NonFinite));
    }

    [Fact]
    public void A_NaN_score_is_never_the_class_and_samples_with_NaN_or_infinity_are_counted_as_meaningless()
    {
        // A model with a NaN weight scored about 10% in elr eval with no word of why: compared with > alone, a NaN in
        // column 0 stayed the class, where elr-run ranked it last; now both take the highest number.
        var matrix = new ConfusionMatrix(2);
        matrix.Add([NaN, NaN, NaN, 1f, 0f, float.PositiveInfinity, 1f, 0f], [0, 1, 1, 0]);

        // NaN, NaN (label 0): no class, wrong. NaN, 1 (label 1): class 1. 0, +∞ (label 1): class 1. 1, 0 (label 0): class 0.
        Assert.Equal((1, 1, 0), (matrix.Unclassified(0), matrix[0, 0], matrix[0, 1]));
        Assert.Equal((2, 0, 0), (matrix[1, 1], matrix[1, 0], matrix.Unclassified(1)));
        Assert.Equal((4, 3, 3), (matrix.Total, matrix.Correct, matrix.NonFinite));
    }

    [Fact]
    public void Scores_that_are_not_one_per_class_and_labels_that_are_not_classes_are_refused()
    {
        var matrix = new ConfusionMatrix(3);

        Assert.Contains("4 scores do not make 1 samples of 3 classes", Assert.Throws<ArgumentException>(() => matrix.Add(new float[4], [0])).Message);
        Assert.Contains("2 scores are not one per class of 3", Assert.Throws<ArgumentException>(() => matrix.Add(new float[2], 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(new float[3], 3));
        // A batch with a wrong label anywhere counts none of its samples.
        Assert.Contains("Label 7 of sample 1 is not one of the 3 classes", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(new float[6], [0, 7])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Count(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Count(-1, 0));
        Assert.Equal(0, matrix.Total);
    }
}
