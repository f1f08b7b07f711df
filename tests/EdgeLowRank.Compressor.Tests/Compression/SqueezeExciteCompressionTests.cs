using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>The hard swish, hard sigmoid and channel scale have no parameters: the LC loop factorizes a MobileNetV3 block's 1×1
/// convolutions (the squeeze-and-excitation's on its 1×1 image too) and leaves them in place (a factorized convolution keeps its
/// channels, so the gate still holds one value per channel of what it scales); the compressed network exports, runs and
/// quantizes; naming one of them where a layer with weights is wanted is refused.</summary>
public sealed class SqueezeExciteCompressionTests
{
    /// <summary>conv 3×3 → 16, hard swish (activation 2); an inverted residual block: 1×1 to 32, hard swish, depthwise 3×3, hard
    /// swish (activation 6), squeeze-and-excitation (pool, 1×1 to 8, ReLU, 1×1 to 32, hard sigmoid, scale of activation 6), 1×1 to
    /// 16, the block's input added; global average pool, dense 10; on the 8×8 small problem.</summary>
    private static Network TrainedSqueezeExciteNetwork()
    {
        var network = new Network("se", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 16, new ConvolutionGeometry(3, 1, 1)), new HardSwish("hswish1"),
            Pointwise("conv2", 16, 32), new HardSwish("hswish2"),
            new DepthwiseConv2d("dw1", 32, new ConvolutionGeometry(3, 1, 1)), new HardSwish("hswish3"),
            new AvgPool2d("pool1", 8, 8), Pointwise("conv3", 32, 8), new Relu("relu1"), Pointwise("conv4", 8, 32),
            new HardSigmoid("hsigmoid1"), new ChannelScale("scale1", source: 6),
            Pointwise("conv5", 32, 16), new ResidualAdd("add1", source: 2),
            new AvgPool2d("pool2", 8, 8), new Flatten("flatten"),
            new Dense("fc1", 16, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void Mnv3_minis_candidates_are_its_convolutions_with_the_squeeze_and_excitations_and_its_dense_layers()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("mnv3-mini", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "conv8", "conv9", "conv10", "conv11", "conv12", "fc1", "fc2"],
            layers.Select(l => l.Layer.Name));
        Assert.Equal((16, 64, 1L), (layers[4].Rows, layers[4].Columns, layers[4].OutputPixels));   // the first SE's reduce, on a 1×1 image
        Assert.Equal((96, 24, 49L), (layers[7].Rows, layers[7].Columns, layers[7].OutputPixels));  // the last block's expand
        Assert.True(layers[^1].IsClassifier);
    }

    [Theory]
    [InlineData("scale1")]
    [InlineData("hsigmoid2")]
    [InlineData("hardswish")]
    public void A_scale_or_gate_or_hard_swish_named_as_a_layer_to_factorize_keep_dense_or_keep_float_is_refused_with_the_layers_there_are(string name) =>
        LayerNameRefusals.AssertRefused("mnv3-mini", name);

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void The_LC_loop_factorizes_the_blocks_convolutions_and_leaves_the_activations_gate_and_scale_in_place(FactorizationMethod method)
    {
        Network network = TrainedSqueezeExciteNetwork();
        LcResult result = SmallProblem.CompressKeepingTheOtherLayers(network, method);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        Assert.Equal(6, Assert.IsType<ChannelScale>(layers[11]).Source);

        // The compressed network exports (the SE's ReLU fused, the sources as trained: nothing fuses before them), and the runtime
        // computes its logits.
        using Model model = ResidualCompressionTests.ExportedAsTrained(result.Network);
        Assert.Equal((6, 2), (model.Layers.OfType<ChannelScaleLayer>().Single().Source, model.Layers.OfType<AddLayer>().Single().Source));

        // int8 quantization takes the weight matrices and passes the activations, the gate and the scale through unchanged.
        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);
        using (quantized)
        {
            Assert.DoesNotContain(report, r => r.Layer.StartsWith("scale", StringComparison.Ordinal) || r.Layer.StartsWith("hard", StringComparison.Ordinal));
            Assert.Equal(6, quantized.Layers.OfType<ChannelScaleLayer>().Single().Source);
            Assert.Equal((3, 1), (quantized.Layers.OfType<HardSwishLayer>().Count(), quantized.Layers.OfType<HardSigmoidLayer>().Count()));
        }
    }
}
