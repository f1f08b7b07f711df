using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>
/// MobileNetV3's and EfficientNet's pieces through export and import: a <see cref="HardSwish"/>, <see cref="HardSigmoid"/> (with its
/// slope and offset) and <see cref="Silu"/> are the runtime's layers of those kinds, a <see cref="ChannelScale"/> its
/// <see cref="ChannelScaleLayer"/> with the source renumbered where ReLUs fuse, named scale1…, both ways; the runtime computes the
/// trainer's outputs.
/// </summary>
public sealed class SqueezeExciteExportTests
{
    private const int Batch = ResidualExportTests.Batch;
    private static readonly TensorShape Image = ResidualExportTests.Image;

    /// <summary>On the 6×6×2 image: conv, ReLU (activation 2: the first block's input); a MobileNetV3 block (1×1, hard swish,
    /// depthwise 3×3, ReLU → activation 6; squeeze-and-excitation with a hard sigmoid of slope 0.2 and offset 0.4 scaling activation
    /// 6; 1×1 projection; the input added); an EfficientNet-style block (1×1, SiLU → activation 16; squeeze-and-excitation with SiLU
    /// and a sigmoid gate); flatten, dense. Every ReLU fuses, so the model's scales read activations 4 and 13 and its Add 1. The names
    /// are the importer's, so a round trip gives them back.</summary>
    private static Network TwoBlocks() => ResidualExportTests.Trained(new Network("se-blocks", Image,
    [
        new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
        Pointwise("conv2", 4, 6), new HardSwish("hswish1"),
        new DepthwiseConv2d("dw1", 6, new ConvolutionGeometry(3, 1, 1)), new Relu("relu2"),
        new AvgPool2d("pool1", 6, 6), Pointwise("conv3", 6, 2), new Relu("relu3"), Pointwise("conv4", 2, 6),
        new HardSigmoid("hsigmoid1", 0.2f, 0.4f), new ChannelScale("scale1", source: 6),
        Pointwise("conv5", 6, 4), new ResidualAdd("add1", source: 2),
        Pointwise("conv6", 4, 4), new Silu("silu1"),
        new AvgPool2d("pool2", 6, 6), Pointwise("conv7", 4, 2), new Silu("silu2"), Pointwise("conv8", 2, 4),
        new Sigmoid("sigmoid1"), new ChannelScale("scale2", source: 16),
        new Flatten("flatten"), new Dense("fc1", 36 * 4, 4),
    ]));

    [Fact]
    public void The_activations_and_scales_are_the_runtimes_layers_with_their_sources_renumbered()
    {
        Network network = TwoBlocks();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal(["conv1", "conv2", "hardswish", "dw1", "pool1", "conv3", "conv4", "hardsigmoid", "scale1", "conv5", "add1", "conv6", "silu",
            "pool2", "conv7", "silu", "conv8", "sigmoid", "scale2", "flatten", "fc1"], LayerNames.Of(model.Layers));
        Assert.Equal([4, 13], model.Layers.OfType<ChannelScaleLayer>().Select(s => s.Source));
        Assert.Equal([1], model.Layers.OfType<AddLayer>().Select(a => a.Source));
        Assert.Equal((0.2f, 0.4f), model.Layers.OfType<HardSigmoidLayer>().Select(h => (h.Alpha, h.Beta)).Single());
        Assert.Equal(2, model.Layers.OfType<SiluLayer>().Count());
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void An_exported_network_imports_back_through_a_file_with_its_scales_and_the_same_logits()
    {
        Network network = TwoBlocks();
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "se-blocks");
        Network imported = NetworkImporter.ToNetwork(read, maxBatch: Batch);

        Assert.Equal(network.Layers.Select(l => l.Name), imported.Layers.Select(l => l.Name));
        Assert.Equal([6, 16], imported.Layers.OfType<ChannelScale>().Select(s => s.Source));
        Assert.Equal((0.2f, 0.4f), imported.Layers.OfType<HardSigmoid>().Select(h => (h.Alpha, h.Beta)).Single());
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, inputs, Batch);
    }

    /// <summary>A leaky ReLU (format 1.12; no network of the zoo has one, an imported network may): of PyTorch's default slope
    /// after a convolution, of −0.5 after a dense layer. Exported as the runtime's layer with its slope, read back from a file
    /// into the same network, and the runtime computes the trainer's logits.</summary>
    [Fact]
    public void A_leaky_relu_exports_and_imports_back_with_its_slope_and_the_same_logits()
    {
        Network network = ResidualExportTests.Trained(new Network("leaky", Image,
        [
            new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new LeakyRelu("leakyrelu1"),
            new Flatten("flatten"), new Dense("fc1", 36 * 4, 6), new LeakyRelu("leakyrelu2", -0.5f), new Dense("fc2", 6, 4),
        ]));
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "leaky");
        Network imported = NetworkImporter.ToNetwork(read, maxBatch: Batch);

        Assert.Equal([0.01f, -0.5f], read.Layers.OfType<LeakyReluLayer>().Select(l => l.Alpha));
        Assert.Equal(network.Layers.Select(l => l.Name), imported.Layers.Select(l => l.Name));
        Assert.Equal([0.01f, -0.5f], imported.Layers.OfType<LeakyRelu>().Select(l => l.Alpha));
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, inputs, Batch);
    }

    [Theory]
    [InlineData("mnv3-mini", new[] { 10, 20 }, new[] { 2, 16 })]
    [InlineData("effnet-mini", new[] { 4, 16, 27 }, new[] { 2, 23 })] // no ReLU fuses: the network's own sources
    public void The_zoos_squeeze_and_excitation_networks_export_and_the_runtime_computes_their_logits(string name, int[] scales, int[] adds)
    {
        Network network = ModelZoo.Create(name, new SampleShape(28, 28, 1), 10, seed: 1, maxBatch: 4);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        // The zoo names its layers as export does (activations aside, which have no number), so --ranks and --keep-dense name
        // the same layers in both.
        string[] activations = ["hardswish", "hardsigmoid", "silu", "sigmoid"];
        Assert.Equal(network.Layers.Where(l => l is not (Relu or HardSwish or HardSigmoid or Silu or Sigmoid)).Select(l => l.Name),
            LayerNames.Of(model.Layers).Where(n => !activations.Contains(n)));
        Assert.Equal(scales, model.Layers.OfType<ChannelScaleLayer>().Select(s => s.Source));
        Assert.Equal(adds, model.Layers.OfType<AddLayer>().Select(a => a.Source));
        float[] inputs = GradientCheck.Uniform(new SeededRandom(3), 4 * 784, 1);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, inputs, batch: 4);
    }
}
