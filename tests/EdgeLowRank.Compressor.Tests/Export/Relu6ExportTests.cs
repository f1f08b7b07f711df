using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>ReLU6 through the export and back: a Relu6 layer of its own in the model (nothing fuses it), the runtime's
/// outputs the trainer's, and the import the same trainable network.</summary>
public sealed class Relu6ExportTests
{
    private const int Batch = 4;

    /// <summary>MobileNet v2's pattern on a 6×6×2 image: Conv2d 3×3 to 8, ReLU6, DepthwiseConv2d 3×3, ReLU6, Flatten, Dense 10.
    /// The inputs, U(−10, 10), put many pre-activations past 6, so the clamp's top matters.</summary>
    private static (Network Network, float[] Inputs) Net()
    {
        var same = new ConvolutionGeometry(3, 1, 1);
        var network = new Network("relu6", new TensorShape(6, 6, 2),
            [new Conv2d("conv1", 2, 8, same), new Relu6("relu6_1"), new DepthwiseConv2d("dw1", 8, same), new Relu6("relu6_2"),
             new Flatten("flatten"), new Dense("fc1", 6 * 6 * 8, 10)], maxBatch: Batch);
        network.Initialize(3);
        return (network, GradientCheck.Uniform(new SeededRandom(4), Batch * 6 * 6 * 2, 10));
    }

    [Fact]
    public void A_ReLU6_exports_as_a_layer_of_its_own_and_the_session_computes_the_trainers_logits()
    {
        var (network, inputs) = Net();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu6, LayerKind.DepthwiseConv2d, LayerKind.Relu6, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.All(model.Layers, l => Assert.Equal(Activation.None, l.Activation));
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, inputs, Batch);
    }

    [Fact]
    public void An_exported_ReLU6_imports_back_as_the_same_trainable_network()
    {
        var (network, inputs) = Net();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        Network imported = NetworkImporter.ToNetwork(model, maxBatch: Batch);

        Assert.Equal(network.Layers.Select(l => (l.GetType(), l.Name)), imported.Layers.Select(l => (l.GetType(), l.Name)));
        Assert.Equal(network.Forward(inputs, Batch, new ComputeThreads(1)).ToArray(), imported.Forward(inputs, Batch, new ComputeThreads(1)).ToArray());
    }
}
