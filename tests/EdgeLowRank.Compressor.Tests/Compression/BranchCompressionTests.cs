using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A branch has no parameters: the LC loop factorizes the convolutions of a downsampling block, its projection among
/// them, leaves the branch and the Add where they were, and the compressed network exports, runs and quantizes.</summary>
public sealed class BranchCompressionTests
{
    /// <summary>conv 3×3 → 8, ReLU; a downsampling block to 4×4×16 (conv 3×3 stride 2, ReLU, conv 3×3, branch, 1×1 stride-2
    /// projection, Add with ReLU); global average pool, dense 10; on the 8×8 small problem.</summary>
    private static Network TrainedProjectionNetwork()
    {
        var network = new Network("projection", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new Conv2d("conv2", 8, 16, new ConvolutionGeometry(3, 2, 1)), new Relu("relu2"),
            new Conv2d("conv3", 16, 16, new ConvolutionGeometry(3, 1, 1)),
            new ShortcutBranch("branch1", source: 2),
            new Conv2d("conv4", 8, 16, new ConvolutionGeometry(1, 2)),
            new ResidualAdd("add1", source: 5, fusedRelu: true),
            new AvgPool2d("pool1", 4, 4), new Flatten("flatten"),
            new Dense("fc1", 16, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void Resnet_projs_candidates_include_its_projection()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("resnet-proj", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "conv8", "fc1"], layers.Select(l => l.Layer.Name));
        Assert.Equal((32, 144, 49L), (layers[3].Rows, layers[3].Columns, layers[3].OutputPixels)); // stride 2: 7×7 outputs
        Assert.Equal((32, 16, 49L), (layers[5].Rows, layers[5].Columns, layers[5].OutputPixels));  // the projection
    }

    [Fact]
    public void The_LC_loop_factorizes_a_downsampling_block_and_leaves_its_branch_and_add_in_place()
    {
        Network network = TrainedProjectionNetwork();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, options);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        Assert.Equal(2, Assert.IsType<ShortcutBranch>(layers[5]).Source);
        Assert.Equal(5, Assert.IsType<ResidualAdd>(layers[7]).Source);
        Assert.Contains(layers, l => l is FactorizedLayer { First: Conv2d });
        Assert.Equal(layers.Count(l => l is FactorizedLayer), result.Steps[^1].Ranks.Count(r => r > 0));

        // The compressed network exports with its branch and Add renumbered (relu1 and relu2 fused).
        using Model model = ResidualCompressionTests.ExportedAsTrained(result.Network);
        Assert.Equal((1, 3), (model.Layers.OfType<BranchLayer>().Single().Source, model.Layers.OfType<AddLayer>().Single().Source));

        // int8 quantization takes the weight matrices and passes the branch through unchanged.
        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);
        using (quantized)
        {
            Assert.DoesNotContain(report, r => r.Layer.StartsWith("branch", StringComparison.Ordinal));
            Assert.Equal(1, quantized.Layers.OfType<BranchLayer>().Single().Source);
        }
    }
}
