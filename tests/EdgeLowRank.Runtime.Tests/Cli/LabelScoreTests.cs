using EdgeLowRank.Runtime.Cli.Scoring;
using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>elr-run run --labels: top-1 and top-k counted by hand on small outputs, with ties and NaN.</summary>
public sealed class LabelScoreTests
{
    private const float NaN = float.NaN;

    [Fact]
    public void A_sample_is_wrong_at_top_1_unless_its_label_is_its_class_and_at_top_k_unless_its_label_is_among_the_best_k()
    {
        float[] outputs =
        [
            0.1f, 0.7f, 0.2f,   // label 1: its class
            0.5f, 0.3f, 0.2f,   // label 1: second, right at top-2 only
            0.6f, 0.3f, 0.1f,   // label 2: third, wrong at both
            0.2f, 0.2f, 0.6f,   // label 2: its class
        ];

        LabelScore score = LabelScore.Of(outputs, 3, [1, 1, 2, 2], top: 2);

        Assert.Equal((4, 2, 2, 1), (score.Samples, score.K, score.Wrong, score.WrongAtK));
        Assert.Equal([1, 0, 0, 2], Enumerable.Range(0, 4).Select(score.Predicted));
        Assert.Equal([false, true, true, false], Enumerable.Range(0, 4).Select(score.IsWrong));
        Assert.Equal("accuracy 50.00% (2 of 4 wrong) against labels.npy" + Environment.NewLine
            + "top-2 accuracy 75.00% (1 of 4 with the label outside the best 2)", score.Summary("labels.npy"));
    }

    [Fact]
    public void A_tie_goes_to_the_lower_class_as_the_printed_classes_take_it()
    {
        LabelScore score = LabelScore.Of([0.4f, 0.4f, 0.2f, 0.4f, 0.4f, 0.2f], 3, [1, 0], top: 2);

        Assert.Equal([0, 0], new[] { score.Predicted(0), score.Predicted(1) });
        Assert.Equal((1, 0), (score.Wrong, score.WrongAtK));
    }

    [Fact]
    public void A_sample_whose_outputs_are_all_NaN_has_no_class_and_is_wrong_at_every_k_even_for_label_0()
    {
        LabelScore score = LabelScore.Of([NaN, NaN, NaN, 0.1f, 0.8f, 0.1f], 3, [0, 1], top: 2);

        Assert.Equal(TopK.NoClass, score.Predicted(0));
        Assert.Equal((1, 1), (score.Wrong, score.WrongAtK));
    }

    [Fact]
    public void A_label_whose_output_is_NaN_is_not_counted_among_the_best_though_too_few_numbers_push_it_there()
    {
        // NaN ranks last: with one number among three, the best 2 are class 1 and class 0 (NaN), which no one predicted.
        LabelScore score = LabelScore.Of([NaN, 0.5f, NaN], 3, [0], top: 2);

        Assert.Equal((1, 1), (score.Wrong, score.WrongAtK));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]   // every class: every label is among the best
    [InlineData(5)]
    public void A_k_of_1_or_of_every_class_scores_top_1_only_on_one_line(int top)
    {
        LabelScore score = LabelScore.Of([0.1f, 0.7f, 0.2f], 3, [2], top);

        Assert.Equal((1, 1, 1), (score.K, score.Wrong, score.WrongAtK));
        Assert.Equal("accuracy 0.00% (1 of 1 wrong) against l.npy", score.Summary("l.npy"));
    }
}
