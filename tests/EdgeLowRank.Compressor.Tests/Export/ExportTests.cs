using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>The runtime computes what the trainer computed, on the exported model and on its file.</summary>
public sealed class ExportTests
{
    private const int Batch = 16;

    /// <summary>A zoo network after a few training steps (so biases are not zero-like and ReLUs cut).</summary>
    private static (Network Network, Dataset Data) Trained(string model, Func<Network, Network>? change = null)
    {
        Dataset data = SyntheticData.Images(128, seed: 5);
        Network network = ModelZoo.Create(model, data.SampleShape, 10, seed: 2, maxBatch: 64);
        network = change?.Invoke(network) ?? network;
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 2 });
        trainer.RunEpoch(data, 0);
        return (network, data);
    }

    /// <summary>The first <see cref="Batch"/> samples of <paramref name="data"/>.</summary>
    private static ReadOnlySpan<float> Inputs(Dataset data) => data.Pixels.Span[..(Batch * data.SampleShape.Size)];

    [Theory]
    [InlineData("lenet300")]
    [InlineData("lenet5")]
    [InlineData("lenet5-1998")]
    [InlineData("mobilenet-mini")]
    [InlineData("resnet-mini")]
    [InlineData("resnet-proj")]
    [InlineData("resnet-mini-bn")] // every batch norm folded into its convolution, the Adds renumbered past the removed norms
    public void TheRuntimeSessionComputesTheTrainersLogits(string model)
    {
        var (network, data) = Trained(model);
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
        RuntimeAgreement.AssertSessionComputesNetwork(network, exported, Inputs(data), Batch);
    }

    /// <summary>Every layer kind the importer rebuilds comes back as the zoo made it, under the zoo's names (which are the
    /// ones <see cref="LayerNames"/> gives, fused ReLUs split out again), and computes the same logits bit for bit.</summary>
    [Theory]
    [InlineData("lenet5-1998")]   // tanh and average pooling
    [InlineData("mobilenet-mini")] // depthwise convolutions with fused ReLUs, 1×1 convolutions, a global average pool
    [InlineData("resnet-mini")]    // Adds with fused ReLUs, their sources renumbered both ways
    [InlineData("resnet-proj")]    // a Branch before a projection, its source renumbered both ways
    public void A_trained_zoo_network_imports_back_as_the_same_trainable_network(string model)
    {
        var (network, data) = Trained(model);
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata());

        Network imported = NetworkImporter.ToNetwork(exported, maxBatch: Batch);

        Assert.Equal(network.Layers.Select(l => l.GetType()), imported.Layers.Select(l => l.GetType()));
        Assert.Equal(network.Layers.Select(l => l.Name), imported.Layers.Select(l => l.Name));
        ReadOnlySpan<float> inputs = Inputs(data);
        float[] expected = network.Forward(inputs, Batch, new ComputeThreads(1)).ToArray();
        Assert.Equal(expected, imported.Forward(inputs, Batch, new ComputeThreads(1)).ToArray());
    }

    [Fact]
    public void A_depthwise_convolution_exports_its_filter_table_as_is_with_its_ReLU_fused()
    {
        var (network, _) = Trained("mobilenet-mini");
        var dw2 = network.Layers.OfType<DepthwiseConv2d>().Single(l => l.Name == "dw2");
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata());

        var layer = Assert.IsType<DepthwiseConv2dLayer>(exported.Layers[LayerNames.Of(exported.Layers).ToList().IndexOf("dw2")]);
        Assert.Equal((32, Activation.Relu, 2, WindowPadding.Even(1)), (layer.Channels, layer.Activation, layer.Geometry.Stride, layer.Geometry.Pads));
        Assert.Equal(dw2.Filters.Value, layer.Filters.ToArray());
        Assert.Equal(dw2.Bias!.Value, layer.Bias.ToArray());
        Assert.Equal((3 * 3 * 32 + 32, 7L * 7 * 3 * 3 * 32), (layer.ParameterCount, layer.MultiplyAccumulates(new TensorShape(14, 14, 32))));
        Assert.Equal(["conv1", "dw1", "conv2", "dw2", "conv3", "dw3", "conv4", "pool1", "flatten", "fc1", "softmax"], LayerNames.Of(exported.Layers));
    }

    [Fact]
    public void FactorizedLayersExportAsTheRuntimesFactorizedLayers()
    {
        var (network, data) = Trained("lenet5", n =>
        {
            n.Replace(2, FactorizedLayer.Conv("conv2", 20, 8, 50, new ConvolutionGeometry(5), FactorizationMethod.Cur));
            n.Replace(5, FactorizedLayer.Dense("fc1", 800, 30, 500, FactorizationMethod.Svd));
            n.Initialize(3);
            return n;
        });
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
        Assert.Contains(exported.Layers, l => l is FactorizedConv2dLayer { Rank: 8, Method: FactorizationMethod.Cur });
        Assert.Contains(exported.Layers, l => l is FactorizedDenseLayer { Rank: 30, Activation: Activation.Relu });
        RuntimeAgreement.AssertSessionComputesNetwork(network, exported, Inputs(data), Batch);
    }

    [Fact]
    public void TheWrittenFileCarriesTheLogitsAndTheMetadata()
    {
        var (network, data) = Trained("lenet300");
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, Seed = 2 };
        ModelMetadata metadata = ExportMetadata.ForTraining(network, data, 0.5, options, trainingSeconds: 1.25);
        using var folder = new TempDirectory();
        using Model model = ResidualExportTests.WrittenAndRead(network, folder, "lenet300", metadata);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, Inputs(data), Batch);
        ModelMetadata read = model.Metadata;
        Assert.Equal("elr", read.Producer);
        Assert.Equal(data.ClassNames, read.Labels);
        Assert.Equal("synthetic", read.Dataset);
        Assert.Equal(0.5, read.Accuracy);
        Assert.Equal("lenet300", read.Properties["model"]);
        Assert.Equal("64", read.Properties["train.batch"]);
    }

    [Fact]
    public void A_held_out_share_and_fixed_ranks_are_recorded_with_the_settings()
    {
        var (network, data) = Trained("lenet300");
        var options = new TrainingOptions { Epochs = 1 };
        Assert.DoesNotContain("train.validation", ExportMetadata.ForTraining(network, data, 0.5, options, 1).Properties.Keys);

        ModelMetadata metadata = ExportMetadata.ForTraining(network, data, 0.5, options, 1, validation: (0.1, 0.98765));
        Assert.Equal(("0.1", "0.9877"), (metadata.Properties["train.validation"], metadata.Properties["train.validation-accuracy"]));
        Assert.DoesNotContain("train.ranks", metadata.Properties.Keys);

        Network factorized = ModelZoo.Create("lenet300", data.SampleShape, 10, seed: 1, ranks: FixedRanks.Parse("fc2=7"));
        ModelMetadata scratch = ExportMetadata.ForTraining(factorized, data, 0.5, options, 1);
        Assert.Equal("fc2=7", scratch.Properties["train.ranks"]);
        // No reference network was compressed into it, so it records none.
        Assert.Equal((0.5, (double?)null), (scratch.Accuracy, scratch.ReferenceAccuracy));
        Assert.Equal(0.5, metadata.ReferenceAccuracy);
    }

    [Fact]
    public void TheSoftmaxIsAppendedAndReLUsAreFused()
    {
        var (network, _) = Trained("lenet300");
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata());
        Assert.Equal([LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Dense, LayerKind.Softmax], exported.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.Relu, ((DenseLayer)exported.Layers[1]).Activation);
        Assert.Equal(Activation.None, ((DenseLayer)exported.Layers[3]).Activation);
    }
}
