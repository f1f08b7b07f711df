using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

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

    [Fact]
    public void A_convolution_padded_unevenly_costs_the_multiply_adds_of_its_output_pixels()
    {
        // 3×3, stride 2, padded (0, 0, 1, 1) over 6×5: 3 rows (one padded below) by 2 columns; padding the bottom as the top
        // (none) would give 2 × 2.
        var network = new Network("same", new TensorShape(6, 5, 2),
            [new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1))), new Flatten("flatten"), new Dense("fc1", 3 * 2 * 4, 3)],
            maxBatch: 1);
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);

        Assert.Equal(3L * 2, layers[0].OutputPixels);
        Assert.Equal(3L * 2 * 18 * 4, layers[0].Cost(CostCriterion.Flops).Dense);
    }
}
