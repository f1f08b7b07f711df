using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>
/// Projection shortcuts through export and import: a <see cref="ShortcutBranch"/> is the runtime's <see cref="BranchLayer"/>, its
/// source renumbered where fused ReLUs remove layers (both ways), and an activation a branch reads is never hidden inside a
/// fused pair.
/// </summary>
public sealed class BranchExportTests
{
    private const int Batch = ResidualExportTests.Batch;
    private static readonly TensorShape Image = ResidualExportTests.Image;

    /// <summary>Training activations: 1 conv1, 2 relu1 (the block's input), 3 conv2, 4 relu2, 5 conv3, 6 branch1 (= 2), 7 conv4,
    /// 8 add1. The model fuses relu1 into conv1 and relu2 into conv2, so the branch's source 2 becomes 1 and the Add's 5 becomes 3.</summary>
    private static Network ProjectionBlock() => ResidualExportTests.Trained(new Network("projection", Image,
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 3), new Relu("relu2"), Conv("conv3", 3, 3),
        new ShortcutBranch("branch1", source: 2), new Conv2d("conv4", 2, 3, new ConvolutionGeometry(1)),
        new ResidualAdd("add1", source: 5, fusedRelu: true), new Flatten("flatten"), new Dense("fc1", 108, 4),
    ]));

    [Fact]
    public void The_branch_is_a_BranchLayer_with_its_source_in_the_models_numbering()
    {
        Network network = ProjectionBlock();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal(1, ((BranchLayer)model.Layers[3]).Source);
        Assert.Equal(3, ((AddLayer)model.Layers[5]).Source);
        Assert.Equal(["conv1", "conv2", "conv3", "branch1", "conv4", "add1", "flatten", "fc1"], LayerNames.Of(model.Layers));
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void A_ReLU_whose_input_a_branch_reads_is_not_fused()
    {
        // The branch reads conv1's output before its ReLU: fused, the model would have no such activation.
        Network network = ResidualExportTests.Trained(new Network("pre-relu", Image,
        [
            Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2),
            new ShortcutBranch("branch1", source: 1), Conv("conv3", 2, 2), new ResidualAdd("add1", source: 3),
            new Flatten("flatten"), new Dense("fc1", 72, 4),
        ]));
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.None, ((Conv2dLayer)model.Layers[0]).Activation);
        Assert.Equal(1, ((BranchLayer)model.Layers[3]).Source);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, ResidualExportTests.Inputs(), Batch);
    }

    [Fact]
    public void Resnet_proj_exports_its_branch_and_adds_in_the_models_numbering()
    {
        Network network = ModelZoo.Create("resnet-proj", new SampleShape(28, 28, 1), 10, seed: 1);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        // Network sources: the branch 7 (add1's output), the Adds 3, 10, 13 (pool1, conv5's output, add2's output).
        string[] names = LayerNames.Of(model.Layers);
        var branch = model.Layers.OfType<BranchLayer>().Single();
        Assert.Equal((5, "add1"), (branch.Source, names[branch.Source - 1]));
        Assert.Equal(["pool1", "conv5", "add2"], model.Layers.OfType<AddLayer>().Select(a => names[a.Source - 1]));
        Assert.Equal("conv6", names[model.Layers.ToList().IndexOf(branch) + 1]);
    }

    [Fact]
    public void An_exported_network_imports_back_with_its_sources_renumbered_and_the_same_logits()
    {
        Network network = ProjectionBlock();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        Network imported = NetworkImporter.ToNetwork(model, maxBatch: Batch);

        Assert.Equal(["conv1", "relu1", "conv2", "relu2", "conv3", "branch1", "conv4", "add1", "flatten", "fc1"], imported.Layers.Select(l => l.Name));
        Assert.Equal(2, imported.Layers.OfType<ShortcutBranch>().Single().Source);
        Assert.Equal(5, imported.Layers.OfType<ResidualAdd>().Single().Source);
        float[] inputs = ResidualExportTests.Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void The_written_file_reads_back_with_its_branch()
    {
        Network network = ProjectionBlock();
        using var folder = new TempDirectory();
        using Model read = ResidualExportTests.WrittenAndRead(network, folder, "projection");
        Assert.Equal(1, read.Layers.OfType<BranchLayer>().Single().Source);
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, ResidualExportTests.Inputs(), Batch);
    }

    private static Conv2d Conv(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(3, 1, 1));
}
