using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>Channel slices and shuffles have no parameters: the LC loop factorizes a ShuffleNet unit's 1×1 convolutions like any
/// others and leaves the slices, shuffles, branches and concatenations in place (a factorized 1×1 keeps its channels, so every
/// stack keeps its shape); the compressed network exports, runs and quantizes; naming a slice or a shuffle where a layer with
/// weights is wanted is refused.</summary>
public sealed class ShuffleCompressionTests
{
    /// <summary>conv 3×3 → 16, ReLU (activation 2); a downsampling unit to 4×4×64 (activation 13); a basic unit (activation 23);
    /// global average pool, dense 10; on the 8×8 small problem.</summary>
    private static Network TrainedShuffleNetwork()
    {
        var network = new Network("shuffle", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new DepthwiseConv2d("dw1", 16, new ConvolutionGeometry(3, 2, 1)), Pointwise("conv2", 16, 32), new Relu("relu2"),    // activation 5
            new ShortcutBranch("branch1", source: 2),
            Pointwise("conv3", 16, 32), new Relu("relu3"), new DepthwiseConv2d("dw2", 32, new ConvolutionGeometry(3, 2, 1)),
            Pointwise("conv4", 32, 32), new Relu("relu4"),
            new ChannelConcat("concat1", source: 5), new ChannelShuffle("shuffle1", 2),                                       // activation 13
            new ChannelSlice("slice1", 32, 32),
            Pointwise("conv5", 32, 32), new Relu("relu5"), new DepthwiseConv2d("dw3", 32, new ConvolutionGeometry(3, 1, 1)),
            Pointwise("conv6", 32, 32), new Relu("relu6"),                                                                     // activation 19
            new ShortcutBranch("branch2", source: 13), new ChannelSlice("slice2", 0, 32),
            new ChannelConcat("concat2", source: 19, inputFirst: true), new ChannelShuffle("shuffle2", 2),
            new AvgPool2d("pool1", 4, 4), new Flatten("flatten"),
            new Dense("fc1", 64, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void Shuffle_minis_candidates_are_its_convolutions_and_its_classifier()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("shuffle-mini", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "conv8", "conv9", "fc1"], layers.Select(l => l.Layer.Name));
        Assert.Equal((32, 32, 49L), (layers[4].Rows, layers[4].Columns, layers[4].OutputPixels)); // a basic unit's first 1×1
        Assert.Equal((128, 64, 49L), (layers[8].Rows, layers[8].Columns, layers[8].OutputPixels)); // the last 1×1, most of the weights
    }

    [Theory]
    [InlineData("slice1")]
    [InlineData("shuffle2")]
    public void A_slice_or_shuffle_named_as_a_layer_to_factorize_keep_dense_or_keep_float_is_refused_with_the_layers_there_are(string name) =>
        LayerNameRefusals.AssertRefused("shuffle-mini", name);

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void The_LC_loop_factorizes_the_units_convolutions_and_leaves_slices_and_shuffles_in_place(FactorizationMethod method)
    {
        Network network = TrainedShuffleNetwork();
        LcResult result = SmallProblem.CompressKeepingTheOtherLayers(network, method);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        Assert.Equal([(32, 32), (0, 32)], layers.OfType<ChannelSlice>().Select(s => (s.Start, s.Count)));

        // The compressed network exports (ReLUs fused, sources renumbered as in the golden shuffle-units), and the runtime
        // computes its logits.
        using Model model = ResidualCompressionTests.ExportedAsTrained(result.Network);
        Assert.Equal([1, 9], model.Layers.OfType<BranchLayer>().Select(b => b.Source));
        Assert.Equal([3, 13], model.Layers.OfType<ConcatLayer>().Select(c => c.Source));

        // int8 quantization takes the weight matrices and passes the slices and shuffles through unchanged.
        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);
        using (quantized)
        {
            Assert.DoesNotContain(report, r => r.Layer.StartsWith("slice", StringComparison.Ordinal) || r.Layer.StartsWith("shuffle", StringComparison.Ordinal));
            Assert.Equal([(32, 32), (0, 32)], quantized.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
            Assert.Equal(2, quantized.Layers.OfType<ChannelShuffleLayer>().Count());
        }
    }
}
