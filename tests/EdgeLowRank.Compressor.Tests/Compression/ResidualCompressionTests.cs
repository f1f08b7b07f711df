using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A residual Add has no parameters: the LC loop factorizes the convolutions inside and around the blocks, leaves
/// the Add where it was, and the compressed network exports, runs and quantizes like any other.</summary>
public sealed class ResidualCompressionTests
{
    /// <summary>conv 3×3 → 8, ReLU, one basic block (conv, ReLU, conv, Add with ReLU), global average pool, dense 10, on the
    /// 8×8 small problem.</summary>
    private static Network TrainedResidualNetwork()
    {
        var network = new Network("residual", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new Conv2d("conv2", 8, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
            new Conv2d("conv3", 8, 8, new ConvolutionGeometry(3, 1, 1)),
            new ResidualAdd("add1", source: 2, fusedRelu: true),
            new AvgPool2d("pool1", 8, 8), new Flatten("flatten"),
            new Dense("fc1", 8, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void Resnet_minis_candidates_are_its_convolutions_and_its_classifier()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("resnet-mini", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "conv8", "fc1"], layers.Select(l => l.Layer.Name));
        Assert.Equal((16, 144, 196L), (layers[1].Rows, layers[1].Columns, layers[1].OutputPixels));
        Assert.Equal((32, 16, 196L), (layers[5].Rows, layers[5].Columns, layers[5].OutputPixels));
        Assert.True(layers[^1].IsClassifier);
    }

    [Fact]
    public void The_LC_loop_factorizes_the_convolutions_of_a_block_and_leaves_its_add_in_place()
    {
        Network network = TrainedResidualNetwork();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, options);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        var add = Assert.IsType<ResidualAdd>(layers[5]);
        Assert.Equal((2, true), (add.Source, add.FusedRelu));
        Assert.Contains(layers, l => l is FactorizedLayer { First: Conv2d });
        Assert.Equal(layers.Count(l => l is FactorizedLayer), result.Steps[^1].Ranks.Count(r => r > 0));

        // The compressed network exports with its Add renumbered (relu1 fused into conv1).
        using Model model = ExportedAsTrained(result.Network);
        Assert.Equal(1, model.Layers.OfType<AddLayer>().Single().Source);

        // int8 quantization takes the weight matrices and passes the Add through unchanged.
        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);
        using (quantized)
        {
            Assert.DoesNotContain(report, r => r.Layer.StartsWith("add", StringComparison.Ordinal));
            Assert.Equal((1, Activation.Relu), quantized.Layers.OfType<AddLayer>().Select(a => (a.Source, a.Activation)).Single());
        }
        Assert.Contains("add1, which is not a layer with weights",
            Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["add1"])).Message);
    }

    /// <summary>The compressed network (8×8 inputs) as a model of logits, which a runtime session runs as the trainer does on
    /// eight test samples.</summary>
    internal static Model ExportedAsTrained(Network compressed)
    {
        Model model = NetworkExporter.ToModel(compressed, new ModelMetadata(), appendSoftmax: false);
        RuntimeAgreement.AssertSessionComputesNetwork(compressed, model, SmallProblem.Data.Test.Pixels.Span[..(8 * 64)], 8);
        return model;
    }
}
