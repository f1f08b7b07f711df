using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>
/// Fire modules through export and import: a <see cref="ChannelConcat"/> is the runtime's <see cref="ConcatLayer"/> in the same
/// order, its source (and the branch's) renumbered where fused ReLUs remove layers, both ways, and the runtime computes the
/// trainer's outputs.
/// </summary>
public sealed class ConcatExportTests
{
    private const int Batch = ResidualExportTests.Batch;
    private static readonly TensorShape Image = ResidualExportTests.Image;

    /// <summary>Training activations: 1 conv1, 2 relu1 (the squeeze output), 3 conv2, 4 relu2 (the 1×1 expand's output),
    /// 5 branch1 (= 2), 6 conv3, 7 relu3, 8 concat1, then a second module on it the same way (sources 10 and 12). The model fuses
    /// every ReLU into its convolution, so the first module's branch source 2 becomes 1 and its concatenation's 4 becomes 2,
    /// the second's 10 and 12 become 6 and 7.</summary>
    private static Network TwoFireModules(bool inputFirst) => ResidualExportTests.Trained(new Network("fire", Image,
    [
        Squeeze("conv1", 2, 2), new Relu("relu1"), Squeeze("conv2", 2, 2), new Relu("relu2"),
        new ShortcutBranch("branch1", source: 2), Conv("conv3", 2, 3), new Relu("relu3"),
        new ChannelConcat("concat1", source: 4, inputFirst),
        Squeeze("conv4", 5, 2), new Relu("relu4"), Squeeze("conv5", 2, 2), new Relu("relu5"),
        new ShortcutBranch("branch2", source: 10), Conv("conv6", 2, 2), new Relu("relu6"),
        new ChannelConcat("concat2", source: 12, inputFirst),
        new Flatten("flatten"), new Dense("fc1", 36 * 4, 4),
    ]));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_concatenations_are_ConcatLayers_in_their_order_with_sources_in_the_models_numbering(bool inputFirst)
    {
        Network network = TwoFireModules(inputFirst);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal(
            [LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Concat,
             LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Concat, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal([(2, inputFirst), (7, inputFirst)], model.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)));
        Assert.Equal([1, 6], model.Layers.OfType<BranchLayer>().Select(b => b.Source));
        Assert.Equal(["conv1", "conv2", "branch1", "conv3", "concat1", "conv4", "conv5", "branch2", "conv6", "concat2", "flatten", "fc1"],
            LayerNames.Of(model.Layers));
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void A_ReLU_whose_input_a_concatenation_reads_is_not_fused()
    {
        // The concatenation reads conv2's output before its ReLU: fused, the model would have no such activation.
        Network network = ResidualExportTests.Trained(new Network("pre-relu", Image,
        [
            Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new Relu("relu2"), Conv("conv3", 2, 2),
            new ChannelConcat("concat1", source: 3), new Flatten("flatten"), new Dense("fc1", 144, 4),
        ]));
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Relu, LayerKind.Conv2d, LayerKind.Concat, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal(2, model.Layers.OfType<ConcatLayer>().Single().Source);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_exported_network_imports_back_with_its_sources_and_order_and_the_same_logits(bool inputFirst)
    {
        Network network = TwoFireModules(inputFirst);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        Network imported = NetworkImporter.ToNetwork(model, maxBatch: Batch);

        Assert.Equal(network.Layers.Select(l => l.Name), imported.Layers.Select(l => l.Name));
        Assert.Equal([(4, inputFirst), (12, inputFirst)], imported.Layers.OfType<ChannelConcat>().Select(c => (c.Source, c.InputFirst)));
        Assert.Equal([2, 10], imported.Layers.OfType<ShortcutBranch>().Select(b => b.Source));
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void The_written_file_reads_back_with_its_concatenations()
    {
        Network network = TwoFireModules(inputFirst: true);
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "fire");
        Assert.Equal([(2, true), (7, true)], read.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)));
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void A_concatenation_of_vectors_exports_and_imports_and_the_runtime_computes_its_logits()
    {
        // Activations: 1 flatten (72 features, the concatenation's source), 2 fc1, 3 relu1 (fused into fc1 in the model).
        Network network = ResidualExportTests.Trained(new Network("vectors", Image,
        [
            new Flatten("flatten"), new Dense("fc1", 72, 6), new Relu("relu1"), new ChannelConcat("concat1", source: 1, inputFirst: true),
            new Dense("fc2", 78, 4),
        ]));
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Flatten, LayerKind.Dense, LayerKind.Concat, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal((1, true), model.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)).Single());
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
        Network imported = NetworkImporter.ToNetwork(model, maxBatch: Batch);
        Assert.Equal((1, true), imported.Layers.OfType<ChannelConcat>().Select(c => (c.Source, c.InputFirst)).Single());
    }

    [Fact]
    public void Squeeze_mini_exports_its_fire_modules_and_the_runtime_computes_its_logits()
    {
        Network network = ModelZoo.Create("squeeze-mini", new SampleShape(28, 28, 1), 10, seed: 1, maxBatch: 4);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        // Each module: its 1×1 expand's output first, its squeeze output the branch's source.
        string[] names = LayerNames.Of(model.Layers);
        Assert.Equal(["conv3", "conv6", "conv9"], model.Layers.OfType<ConcatLayer>().Select(c => names[c.Source - 1]));
        Assert.Equal(["conv2", "conv5", "conv8"], model.Layers.OfType<BranchLayer>().Select(b => names[b.Source - 1]));
        Assert.Equal(network.Layers.OfType<Conv2d>().Select(c => c.Name), names.Where(n => n.StartsWith("conv", StringComparison.Ordinal)));
        float[] inputs = GradientCheck.Uniform(new SeededRandom(3), 4 * 784, 1);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, inputs, batch: 4);
    }

    private static Conv2d Conv(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(3, 1, 1));

    private static Conv2d Squeeze(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(1));
}
