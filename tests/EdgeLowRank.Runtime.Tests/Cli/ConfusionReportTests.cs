using EdgeLowRank.Runtime.Cli.Scoring;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>elr-run run --confusion's text: a matrix up to 20 classes, aligned and within a terminal; a per-class table and
/// the most frequent confusions above.</summary>
public sealed class ConfusionReportTests
{
    /// <summary>A model of <paramref name="classes"/> outputs scored on samples given as (label, class predicted).</summary>
    private static ConfusionMatrix Matrix(int classes, params (int Label, int Predicted)[] samples)
    {
        var matrix = new ConfusionMatrix(classes);
        foreach ((int label, int predicted) in samples) matrix.Count(label, predicted);
        return matrix;
    }

    private static string[] Lines(string text) => text.TrimEnd().Split(Environment.NewLine);

    [Fact]
    public void A_few_classes_print_as_a_matrix_of_counts_by_name_with_recall_per_row_and_precision_per_column()
    {
        ConfusionMatrix matrix = Matrix(3, (0, 0), (0, 1), (1, 1), (1, 1), (1, TopK.NoClass), (0, 1));

        string text = ConfusionReport.Format(matrix, ["cat", "dog", "emu"]);

        Assert.Equal(
        [
            "confusion matrix: rows are the true classes, columns the classes predicted",
            "true \\ predicted     cat    dog  emu  no class  recall",
            "----------------  ------  -----  ---  --------  ------",
            "cat                    1      2    0         0   33.3%",
            "dog                    0      2    0         1   66.7%",
            "emu                    0      0    0         0       -",
            "precision         100.0%  50.0%    -",
        ], Lines(text));
    }

    [Fact]
    public void The_column_of_samples_given_no_class_is_left_out_when_there_are_none()
    {
        string text = ConfusionReport.Format(Matrix(2, (0, 0), (1, 0)), []);

        Assert.Equal("true \\ predicted      0  1  recall", Lines(text)[1]);   // 0 as wide as its precision, 50.0%; 1 never predicted
        Assert.DoesNotContain("no class", text);
    }

    [Fact]
    public void Names_too_long_for_the_columns_give_way_to_indices_within_120_columns()
    {
        string[] names = [.. Enumerable.Range(0, 10).Select(c => $"a-long-class-name-{c}")];

        string text = ConfusionReport.Format(Matrix(10, (3, 3), (4, 9)), names);

        Assert.All(Lines(text), line => Assert.True(line.Length <= ConfusionReport.MaxWidth, line));
        Assert.Matches(@"\ntrue \\ predicted\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+recall\r?\n", text);
        Assert.Matches(@"\n4 a-long-class-name-4\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+1\s+0\.0%", text);
        Assert.Contains("(by index, as the rows number them)", text);
    }

    [Fact]
    public void Many_classes_print_a_per_class_table_and_the_most_frequent_confusions_instead()
    {
        // 21 classes, each right once; then class 5 taken for 7 three times, and 20 for 0 once.
        var samples = Enumerable.Range(0, 21).Select(c => (c, c)).Concat([(5, 7), (5, 7), (5, 7), (20, 0)]).ToArray();

        string text = ConfusionReport.Format(Matrix(21, samples), []);

        Assert.DoesNotContain("confusion matrix", text);
        Assert.StartsWith("per class (21 classes, too many for a matrix)", text);
        Assert.Matches(@"\n5\s+4\s+25\.0%\s+1\s+100\.0%\r?\n", text);   // 4 samples, 1 right; predicted once, rightly
        Assert.Matches(@"\n7\s+1\s+100\.0%\s+4\s+25\.0%\r?\n", text);
        string confusions = text[text.IndexOf("the most frequent confusions", StringComparison.Ordinal)..];
        Assert.Matches(@"true\s+predicted\s+samples\r?\n[- ]+\r?\n5\s+7\s+3\r?\n20\s+0\s+1\r?\n$", confusions);
    }

    [Fact]
    public void Many_classes_without_a_confusion_say_so()
    {
        string text = ConfusionReport.Format(Matrix(21, [.. Enumerable.Range(0, 21).Select(c => (c, c))]), []);

        Assert.EndsWith("no sample was predicted as another class" + Environment.NewLine, text);
    }
}
