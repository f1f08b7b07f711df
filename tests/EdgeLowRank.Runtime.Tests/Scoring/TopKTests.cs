using EdgeLowRank.Runtime.Scoring;

namespace EdgeLowRank.Runtime.Tests.Scoring;

/// <summary>The classes every tool names: the largest scores first, NaN last.</summary>
public sealed class TopKTests
{
    private static int[] Best(int k, params float[] scores)
    {
        var best = new int[k];
        TopK.Select(scores, best);
        return best;
    }

    [Fact]
    public void The_largest_scores_come_first_and_ties_keep_their_order() =>
        Assert.Equal([3, 1, 2], Best(3, 0.1f, 0.3f, 0.3f, 0.9f, 0.0f));

    [Fact]
    public void A_NaN_score_ranks_below_every_number_wherever_it_stands()
    {
        // A softmax after an overflowed logit: NaN for that class, 0 for the others.
        Assert.Equal([1, 2], Best(2, float.NaN, 0f, 0f));
        Assert.Equal([2, 0, 1], Best(3, 0.2f, float.NaN, 0.7f));
    }

    [Fact]
    public void The_class_is_the_first_highest_number_and_no_class_when_every_score_is_NaN()
    {
        Assert.Equal(1, TopK.Best([0.2f, 0.7f, 0.7f]));
        Assert.Equal(2, TopK.Best([float.NaN, float.NegativeInfinity, 0f]));
        Assert.Equal(TopK.NoClass, TopK.Best([float.NaN, float.NaN]));
        Assert.Equal(TopK.NoClass, TopK.Best([]));
    }
}
