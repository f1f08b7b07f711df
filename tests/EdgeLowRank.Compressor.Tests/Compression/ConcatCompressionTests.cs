using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A concatenation has no parameters: the LC loop factorizes a Fire module's convolutions like any others, leaves its
/// branch and concatenation where they were (the factorized 3×3 expand still has its channels, so the stack keeps its shape),
/// and the compressed network exports, runs and quantizes.</summary>
public sealed class ConcatCompressionTests
{
    /// <summary>conv 3×3 → 8, ReLU; a Fire module (squeeze 1×1 to 8, ReLU; expand 1×1 to 16, ReLU; branch; expand 3×3 to 16,
    /// ReLU; concatenation: 32 channels); global average pool, dense 10; on the 8×8 small problem.</summary>
    private static Network TrainedFireNetwork()
    {
        var network = new Network("fire", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new Conv2d("conv2", 8, 8, new ConvolutionGeometry(1)), new Relu("relu2"),        // activation 4: the squeeze output
            new Conv2d("conv3", 8, 16, new ConvolutionGeometry(1)), new Relu("relu3"),       // activation 6: the 1×1 expand's output
            new ShortcutBranch("branch1", source: 4),
            new Conv2d("conv4", 8, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu4"),
            new ChannelConcat("concat1", source: 6),
            new AvgPool2d("pool1", 8, 8), new Flatten("flatten"),
            new Dense("fc1", 32, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void Squeeze_minis_candidates_are_its_convolutions_and_its_classifier()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("squeeze-mini", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "conv8", "conv9", "conv10", "fc1"], layers.Select(l => l.Layer.Name));
        Assert.Equal((16, 72, 196L), (layers[3].Rows, layers[3].Columns, layers[3].OutputPixels));  // fire 1's 3×3 expand
        Assert.Equal((32, 144, 49L), (layers[9].Rows, layers[9].Columns, layers[9].OutputPixels));  // fire 3's
        Assert.True(layers[^1].IsClassifier);
    }

    [Fact]
    public void A_concatenation_named_as_a_layer_to_factorize_keep_dense_or_keep_float_is_refused_with_the_layers_there_are() =>
        LayerNameRefusals.AssertRefused("squeeze-mini", "concat1");

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void The_LC_loop_factorizes_a_fire_modules_expand_and_leaves_its_branch_and_concatenation_in_place(FactorizationMethod method)
    {
        Network network = TrainedFireNetwork();
        LcOptions options = SmallProblem.Options(method, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, options);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        Assert.Equal(4, Assert.IsType<ShortcutBranch>(layers[6]).Source);
        var concat = Assert.IsType<ChannelConcat>(layers[9]);
        Assert.Equal((6, false), (concat.Source, concat.InputFirst));
        Assert.Equal(method, Assert.IsType<FactorizedLayer>(layers[7]).Method); // the 3×3 expand, 16 × 72, holds most weights
        Assert.Equal(layers.Count(l => l is FactorizedLayer), result.Steps[^1].Ranks.Count(r => r > 0));

        // The compressed network exports with its branch and concatenation renumbered (every ReLU fused), and the runtime
        // computes its logits.
        using Model model = ResidualCompressionTests.ExportedAsTrained(result.Network);
        Assert.Equal((2, 3), (model.Layers.OfType<BranchLayer>().Single().Source, model.Layers.OfType<ConcatLayer>().Single().Source));

        // int8 quantization takes the weight matrices and passes the concatenation through unchanged.
        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);
        using (quantized)
        {
            Assert.DoesNotContain(report, r => r.Layer.StartsWith("concat", StringComparison.Ordinal));
            Assert.Equal(3, quantized.Layers.OfType<ConcatLayer>().Single().Source);
        }
    }
}
