using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class CompressionRatiosTests
{
    [Theory]
    [InlineData(CostCriterion.Storage, 5, -1)]
    [InlineData(CostCriterion.Storage, 12, 3)]
    [InlineData(CostCriterion.Flops, 5, -1)]
    [InlineData(CostCriterion.Flops, 1, 7)]
    public void The_ratio_under_a_criterion_is_the_ratio_the_reports_give_for_it(CostCriterion criterion, int first, int second)
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        int[] ranks = [first, second];
        LayerDecision[] decisions = ranks.Select(r => new LayerDecision(Math.Max(r, 0), r < 0, [], null, null)).ToArray();
        double expected = criterion == CostCriterion.Storage ? CompressionRatios.Storage(layers, decisions) : CompressionRatios.Flops(layers, decisions);

        Assert.Equal(expected, CompressionRatios.UnderCriterion(layers, ranks, new LcOptions { Criterion = criterion }), 1e-12);
    }
}
