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
/// ShuffleNet v2's units through export and import: a <see cref="ChannelSlice"/> is the runtime's <see cref="ChannelSliceLayer"/>
/// and a <see cref="ChannelShuffle"/> its <see cref="ChannelShuffleLayer"/>, named slice1…, shuffle1…, both ways, between the
/// branches and concatenations renumbered where ReLUs fuse; the runtime computes the trainer's outputs.
/// </summary>
public sealed class ShuffleExportTests
{
    private const int Batch = ResidualExportTests.Batch;
    private static readonly TensorShape Image = ResidualExportTests.Image;

    /// <summary>The layers of tests/fixtures/shuffle-units.elr, with ReLUs after the 1×1 convolutions, on a 6×6×2 image. Training
    /// activations: 2 relu1 (the downsampling unit's input, 6×6×4), 5 relu2 (its first path's output), 13 shuffle1 (the basic
    /// unit's input, 3×3×6), 19 relu6 (its path's output). The model fuses every ReLU, so they become 1, 3, 9 and 13, the
    /// fixture's sources.</summary>
    private static Network TwoUnits() => ResidualExportTests.Trained(new Network("units", Image,
    [
        new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
        new DepthwiseConv2d("dw1", 4, new ConvolutionGeometry(3, 2, 1)), Pointwise("conv2", 4, 3), new Relu("relu2"),
        new ShortcutBranch("branch1", source: 2),
        Pointwise("conv3", 4, 3), new Relu("relu3"), new DepthwiseConv2d("dw2", 3, new ConvolutionGeometry(3, 2, 1)), Pointwise("conv4", 3, 3), new Relu("relu4"),
        new ChannelConcat("concat1", source: 5), new ChannelShuffle("shuffle1", 2),
        new ChannelSlice("slice1", 3, 3),
        Pointwise("conv5", 3, 3), new Relu("relu5"), new DepthwiseConv2d("dw3", 3, new ConvolutionGeometry(3, 1, 1)), Pointwise("conv6", 3, 3), new Relu("relu6"),
        new ShortcutBranch("branch2", source: 13), new ChannelSlice("slice2", 0, 3),
        new ChannelConcat("concat2", source: 19, inputFirst: true), new ChannelShuffle("shuffle2", 2),
        new Flatten("flatten"), new Dense("fc1", 9 * 6, 4),
    ]));

    [Fact]
    public void Slices_and_shuffles_are_the_runtimes_layers_between_renumbered_branches_and_concatenations()
    {
        Network network = TwoUnits();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal(["conv1", "dw1", "conv2", "branch1", "conv3", "dw2", "conv4", "concat1", "shuffle1", "slice1", "conv5", "dw3", "conv6",
            "branch2", "slice2", "concat2", "shuffle2", "flatten", "fc1"], LayerNames.Of(model.Layers));
        Assert.Equal([(3, 3), (0, 3)], model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
        Assert.Equal([2, 2], model.Layers.OfType<ChannelShuffleLayer>().Select(s => s.Groups));
        Assert.Equal([1, 9], model.Layers.OfType<BranchLayer>().Select(b => b.Source));
        Assert.Equal([(3, false), (13, true)], model.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)));
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void An_exported_network_imports_back_with_its_slices_and_shuffles_and_the_same_logits()
    {
        Network network = TwoUnits();
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "units", appendSoftmax: true);
        Network imported = NetworkImporter.ToNetwork(read, maxBatch: Batch);

        Assert.Equal(network.Layers.Select(l => l.Name), imported.Layers.Select(l => l.Name));
        Assert.Equal([(3, 3), (0, 3)], imported.Layers.OfType<ChannelSlice>().Select(s => (s.Start, s.Count)));
        Assert.Equal([2, 2], imported.Layers.OfType<ChannelShuffle>().Select(s => s.Groups));
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void The_golden_shuffle_units_import_up_to_their_factorized_convolution()
    {
        // Every slice, shuffle, branch and concatenation of the fixture is taken; its conv6 is SVD-factorized, which the
        // compressor refuses as it refuses any factorized layer (it starts from a dense network).
        using Model fixture = ModelReader.Load(FixtureFiles.Find("shuffle-units.elr"));
        Assert.Equal(["slice1", "slice2"], LayerNames.Of(fixture.Layers).Where(n => n.StartsWith("slice", StringComparison.Ordinal)));
        var e = Assert.Throws<TrainingException>(() => NetworkImporter.ToNetwork(fixture));
        Assert.StartsWith("Layer 12 (conv6) is already factorized", e.Message);
    }

    [Fact]
    public void Shuffle_mini_exports_its_units_and_the_runtime_computes_its_logits()
    {
        Network network = ModelZoo.Create("shuffle-mini", new SampleShape(28, 28, 1), 10, seed: 1, maxBatch: 4);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        // The zoo names its layers as export does, so --ranks and --keep-dense name the same layers in both.
        string[] names = LayerNames.Of(model.Layers);
        string[] trainable = network.Layers.Where(l => l is not Relu).Select(l => l.Name).ToArray();
        Assert.Equal(trainable, names);
        Assert.Equal([(32, 32), (0, 32), (32, 32), (0, 32)], model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
        Assert.Equal(3, model.Layers.OfType<ChannelShuffleLayer>().Count());
        float[] inputs = GradientCheck.Uniform(new SeededRandom(3), 4 * 784, 1);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, inputs, batch: 4);
    }
}
