using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A depthwise convolution has no weight matrix: the LC loop trains it in its L steps and the fine-tune, never
/// factorizes it, and it counts in the model's totals at its own cost.</summary>
public sealed class DepthwiseCompressionTests
{
    /// <summary>conv 3×3 → 8, depthwise 3×3, 1×1 conv → 16, global average pool, dense 10, on the 8×8 small problem.</summary>
    private static Network TrainedSeparableNetwork()
    {
        var network = new Network("separable", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
            new DepthwiseConv2d("dw1", 8, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
            new Conv2d("conv2", 8, 16, new ConvolutionGeometry(1)), new Relu("relu3"),
            new AvgPool2d("pool1", 8, 8), new Flatten("flatten"),
            new Dense("fc1", 16, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    [Fact]
    public void No_depthwise_layer_is_a_compression_candidate()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(ModelZoo.Create("mobilenet-mini", new SampleShape(28, 28, 1), 10, seed: 1));

        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "fc1"], layers.Select(l => l.Layer.Name));
        Assert.Equal([(16, 9, 784L), (32, 16, 196), (64, 32, 49), (128, 64, 49), (10, 128, 1)], layers.Select(l => (l.Rows, l.Columns, l.OutputPixels)));
        Assert.True(layers[^1].IsClassifier);
    }

    [Fact]
    public void The_LC_loop_trains_a_depthwise_layer_but_leaves_it_dense_and_factorizes_the_convolutions_around_it()
    {
        Network network = TrainedSeparableNetwork();
        float[] reference = ((DepthwiseConv2d)network.Layers[2]).Filters.Value.ToArray();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, options);

        Assert.All(result.Steps, s => Assert.Equal(3, s.Ranks.Length)); // conv1, conv2, fc1: the depthwise layer is no candidate
        var depthwise = Assert.IsType<DepthwiseConv2d>(result.Network.Layers[2]);
        Assert.NotEqual(reference, depthwise.Filters.Value);
        Assert.Contains(result.Network.Layers, l => l is FactorizedLayer);
        Assert.Equal(result.Network.Layers.Count(l => l is FactorizedLayer), result.Steps[^1].Ranks.Count(r => r > 0));
        // The target bounds the candidates' weight matrices only; on matrices this small one rank moves the ratio by a tenth.
        Assert.InRange(result.Steps[^1].StorageRatio, 2, 2.5);

        // The written model counts the depthwise layer at its own cost, in its totals and in the dense equivalent alike.
        using Model model = NetworkExporter.ToModel(result.Network, new ModelMetadata());
        var exported = Assert.IsType<DepthwiseConv2dLayer>(model.Layers[1]);
        Assert.Equal((3 * 3 * 8 + 8, 3 * 3 * 8 + 8L), (exported.ParameterCount, exported.DenseEquivalentParameterCount));
        Assert.Equal(8L * 8 * 3 * 3 * 8, exported.MultiplyAccumulates(new TensorShape(8, 8, 8)));
        Assert.Equal(result.Network.ParameterCount, model.ParameterCount);
    }
}
