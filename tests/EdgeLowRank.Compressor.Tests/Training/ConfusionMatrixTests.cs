using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void TheHighestScorePredictsAndTheFirstWinsATie()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add([0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f], [1, 1]);
        Assert.Equal(1, matrix[1, 1]);
        Assert.Equal(1, matrix[1, 0]);
        Assert.Equal(0.5, matrix.Accuracy);
        Assert.Equal(0, matrix.NonFinite);
    }

    [Fact]
    public void ScoresWithNaNOrInfinityAreCountedAsMeaningless()
    {
        // A model with a NaN weight scored about 10% with no word of why (every NaN sample lands in column 0).
        var matrix = new ConfusionMatrix(2);
        matrix.Add([float.NaN, float.NaN, 1f, float.PositiveInfinity, 0f, 1f], [0, 1, 1]);
        Assert.Equal(2, matrix.NonFinite);
        Assert.Equal(3, matrix.Total);
    }
}
