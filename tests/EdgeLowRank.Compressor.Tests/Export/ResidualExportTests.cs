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
/// Skip connections through export and import: fusing a ReLU removes a layer, so the model numbers activations differently
/// from the network and every Add's source must be renumbered (both ways); a ReLU whose input a skip reads stays a layer.
/// </summary>
public sealed class ResidualExportTests
{
    internal const int Batch = 8;
    internal static readonly TensorShape Image = new(6, 6, 2);

    /// <summary>Training activations: 1 conv1, 2 relu1, 3 conv2, 4 add1, 5 relu2, 6 conv3, 7 add2. The model fuses relu1 into
    /// conv1 and relu2 into add1, so add1's source 2 becomes 1 and add2's source 5 becomes 3.</summary>
    private static Network TwoBlocks() => Trained(new Network("two-blocks", Image,
    [
        Conv("conv1"), new Relu("relu1"), Conv("conv2"), new ResidualAdd("add1", source: 2), new Relu("relu2"),
        Conv("conv3"), new ResidualAdd("add2", source: 5), new Flatten("flatten"), new Dense("fc1", 72, 4),
    ]));

    [Fact]
    public void Sources_are_renumbered_where_fused_ReLUs_remove_layers()
    {
        using Model model = NetworkExporter.ToModel(TwoBlocks(), new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Add, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        var adds = model.Layers.OfType<AddLayer>().ToArray();
        Assert.Equal([1, 3], adds.Select(a => a.Source));
        Assert.Equal([Activation.Relu, Activation.None], adds.Select(a => a.Activation));
        Assert.Equal(["conv1", "conv2", "add1", "conv3", "add2", "flatten", "fc1"], LayerNames.Of(model.Layers));
    }

    [Fact]
    public void The_runtime_session_computes_the_trainers_logits()
    {
        Network network = TwoBlocks();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, Inputs(), Batch);
    }

    [Fact]
    public void A_ReLU_whose_input_a_skip_reads_is_not_fused()
    {
        // add1 reads conv1's output before its ReLU: fused, the model would have no such activation.
        Network network = Trained(new Network("pre-relu", Image,
        [
            Conv("conv1"), new Relu("relu1"), Conv("conv2"), new ResidualAdd("add1", source: 1, fusedRelu: true),
            new Flatten("flatten"), new Dense("fc1", 72, 4),
        ]));
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.None, ((Conv2dLayer)model.Layers[0]).Activation);
        Assert.Equal(1, ((AddLayer)model.Layers[3]).Source);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, Inputs(), Batch);
    }

    [Fact]
    public void Resnet_mini_exports_its_adds_with_their_ReLUs_and_sources_in_the_models_numbering()
    {
        Network network = ModelZoo.Create("resnet-mini", new SampleShape(28, 28, 1), 10, seed: 1);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        // Network sources 3, 7 and 14 (pool1, add1, pool2); the model fuses relu1 and relu2 before add1, relu3 before add2,
        // relu4 and relu5 before add3.
        Assert.Equal([(2, Activation.Relu), (5, Activation.Relu), (10, Activation.Relu)],
            model.Layers.OfType<AddLayer>().Select(a => (a.Source, a.Activation)));
        string[] names = LayerNames.Of(model.Layers);
        Assert.Equal(["pool1", "add1", "pool2"], model.Layers.OfType<AddLayer>().Select(a => names[a.Source - 1]));
    }

    [Fact]
    public void An_exported_network_imports_back_with_its_sources_renumbered_and_the_same_logits()
    {
        Network network = TwoBlocks();
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());

        Network imported = NetworkImporter.ToNetwork(model, maxBatch: Batch);

        // relu2 comes back fused into add1, so add2's source moves from 5 to 4.
        Assert.Equal(["conv1", "relu1", "conv2", "add1", "conv3", "add2", "flatten", "fc1"], imported.Layers.Select(l => l.Name));
        Assert.Equal([(2, true), (4, false)], imported.Layers.OfType<ResidualAdd>().Select(a => (a.Source, a.FusedRelu)));
        float[] inputs = Inputs();
        Assert.Equal(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(), imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void The_written_file_reads_back_with_its_adds()
    {
        Network network = TwoBlocks();
        using var folder = new TempDirectory();
        using Model read = WrittenAndRead(network, folder, "two-blocks");
        Assert.Equal([(1, Activation.Relu), (3, Activation.None)], read.Layers.OfType<AddLayer>().Select(a => (a.Source, a.Activation)));
        RuntimeAgreement.AssertSessionComputesNetwork(network, read, Inputs(), Batch);
    }

    private static Conv2d Conv(string name) => new(name, 2, 2, new ConvolutionGeometry(3, 1, 1));

    /// <summary>The network initialized and trained a few steps, so its biases and ReLUs matter.</summary>
    internal static Network Trained(Network network)
    {
        network.Initialize(4);
        var random = new SeededRandom(6);
        float[] inputs = GradientCheck.Uniform(random, 64 * Image.ElementCount, 1);
        byte[] labels = Enumerable.Range(0, 64).Select(i => (byte)(i % 4)).ToArray();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1 });
        for (int step = 0; step < 3; step++)
        {
            trainer.ComputeGradients(inputs, labels);
            trainer.Optimizer.Step(0.1);
        }
        return network;
    }

    /// <summary><paramref name="network"/> exported, written to <paramref name="name"/>.elr in <paramref name="folder"/> and
    /// read back as the runtime reads a file.</summary>
    internal static Model WrittenAndRead(Network network, TempDirectory folder, string name, ModelMetadata? metadata = null, bool appendSoftmax = false)
    {
        string path = Path.Combine(folder.Path, name + ".elr");
        using (Model exported = NetworkExporter.ToModel(network, metadata ?? new ModelMetadata(), appendSoftmax)) ModelWriter.Write(exported, path);
        return ModelReader.Load(path);
    }

    internal static float[] Inputs() => GradientCheck.Uniform(new SeededRandom(8), Batch * Image.ElementCount, 1);
}
