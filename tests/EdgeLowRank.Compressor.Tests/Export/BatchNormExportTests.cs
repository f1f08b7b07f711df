using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Tests.Compression;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>The exporter folds each batch norm into the layer before it with the running statistics: the runtime computes
/// what the training network computes in evaluation mode, with no batch norm layer; a norm after anything else is refused.</summary>
public sealed class BatchNormExportTests
{
    private const int Batch = 8;

    private static readonly ConvolutionGeometry Same3 = new(3, 1, 1);

    public static TheoryData<string> Kinds => ["conv", "factorized conv", "dense", "depthwise"];

    /// <summary>A small network on 8×8 images with a batch norm after a layer of <paramref name="kind"/>; the dense one ends with
    /// a norm (no ReLU after it to fuse).</summary>
    private static Network Build(string kind) => new("bn-" + kind.Replace(' ', '-'), new TensorShape(8, 8, 1), kind switch
    {
        "conv" =>
        [
            new Conv2d("conv1", 1, 4, Same3, hasBias: false), new BatchNorm2d("bn1", 4), new Relu("relu1"),
            new Conv2d("conv2", 4, 4, Same3), new BatchNorm2d("bn2", 4), new Relu("relu2"),
            new AvgPool2d("pool", 8, 8), new Flatten("flatten"), new Dense("fc", 4, 10),
        ],
        "factorized conv" =>
        [
            FactorizedLayer.Conv("conv1", 1, 2, 6, Same3, FactorizationMethod.Cur), new BatchNorm2d("bn1", 6), new Relu("relu1"),
            new AvgPool2d("pool", 8, 8), new Flatten("flatten"), new Dense("fc", 6, 10),
        ],
        "dense" =>
        [
            new Flatten("flatten"), new Dense("fc1", 64, 16, hasBias: false), new BatchNorm2d("bn1", 16), new Relu("relu1"),
            new Dense("fc2", 16, 10), new BatchNorm2d("bn2", 10),
        ],
        _ =>
        [
            new Conv2d("conv1", 1, 4, Same3), new Relu("relu1"),
            new DepthwiseConv2d("dw1", 4, Same3, hasBias: false), new BatchNorm2d("bn1", 4), new Relu("relu2"),
            new AvgPool2d("pool", 8, 8), new Flatten("flatten"), new Dense("fc", 4, 10),
        ],
    }, maxBatch: 64);

    /// <summary><paramref name="kind"/>'s network after two epochs (running statistics far from 0 and 1, γ and β trained), and
    /// γ and β moved further at random so that no fold can pass by their being near 1 and 0.</summary>
    private static Network Trained(string kind)
    {
        Network network = SmallProblem.Trained(Build(kind), epochs: 2);
        var random = new SeededRandom(4);
        foreach (BatchNorm2d norm in network.Layers.OfType<BatchNorm2d>())
        {
            float[] gamma = GradientCheck.Uniform(random, norm.Channels, 0.5f), beta = GradientCheck.Uniform(random, norm.Channels, 0.5f);
            for (int c = 0; c < norm.Channels; c++) (norm.Gamma.Value[c], norm.Beta.Value[c]) = (norm.Gamma.Value[c] * (1 + gamma[c]), norm.Beta.Value[c] + beta[c]);
            Assert.DoesNotContain(0f, norm.RunningMean);
        }
        return network;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_folded_model_computes_the_evaluation_mode_forward_pass(string kind)
    {
        Network network = Trained(kind);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);

        int norms = network.Layers.Count(l => l is BatchNorm2d), fusedRelus = network.Layers.Count(l => l is Relu);
        Assert.Equal(network.Layers.Count - norms - fusedRelus, model.Layers.Count);
        RuntimeAgreement.AssertSessionComputesNetwork(network, model, SmallProblem.Data.Test.Pixels.Span[..(Batch * 64)], Batch);
    }

    /// <summary>Imported back, the model is the folded network: the same layers without batch norm, the same outputs (the
    /// importer takes dense networks only, so no factorized one).</summary>
    [Theory]
    [InlineData("conv")]
    [InlineData("dense")]
    [InlineData("depthwise")]
    public void An_imported_folded_model_is_the_network_without_batch_norm(string kind)
    {
        Network network = Trained(kind);
        using Model model = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
        Network imported = NetworkImporter.ToNetwork(model, Batch);

        Assert.DoesNotContain(imported.Layers, l => l is BatchNorm2d);
        Assert.Equal(network.Layers.Count - network.Layers.Count(l => l is BatchNorm2d), imported.Layers.Count);
        float[] inputs = SmallProblem.Data.Test.Pixels.Span[..(Batch * 64)].ToArray();
        RuntimeAgreement.AssertSameOutputs(network.Forward(inputs, Batch, ComputeThreads.Single).ToArray(),
            imported.Forward(inputs, Batch, ComputeThreads.Single).ToArray());
    }

    [Fact]
    public void A_batch_norm_after_a_pooling_an_add_a_concatenation_an_activation_or_the_input_is_refused()
    {
        TrainingLayer[][] networks =
        [
            [new Conv2d("conv1", 1, 4, Same3), new AvgPool2d("pool", 2, 2), new BatchNorm2d("bn1", 4), new Flatten("flatten"), new Dense("fc", 64, 10)],
            [new Conv2d("conv1", 1, 1, Same3), new ResidualAdd("add1", source: 0, fusedRelu: false), new BatchNorm2d("bn1", 1), new Flatten("flatten"), new Dense("fc", 64, 10)],
            [new Conv2d("conv1", 1, 4, Same3), new Relu("relu1"), new BatchNorm2d("bn1", 4), new Flatten("flatten"), new Dense("fc", 256, 10)],
            [new BatchNorm2d("bn1", 1), new Flatten("flatten"), new Dense("fc", 64, 10)],
            [new Conv2d("conv1", 1, 1, Same3), new ChannelConcat("concat1", source: 0), new BatchNorm2d("bn1", 2), new Flatten("flatten"), new Dense("fc", 128, 10)],
        ];
        string[] before = ["pool (AvgPool2d)", "add1 (ResidualAdd)", "relu1 (Relu)", "the network's input", "concat1 (ChannelConcat)"];
        for (int n = 0; n < networks.Length; n++)
        {
            var network = new Network("refused", new TensorShape(8, 8, 1), networks[n], maxBatch: 4);
            string message = Assert.Throws<NotSupportedException>(() => NetworkExporter.ToModel(network, new ModelMetadata())).Message;
            Assert.Contains($"Batch norm bn1 follows {before[n]}", message);
            Assert.Contains("Put the batch norm right after", message);
        }
    }

    [Fact]
    public void A_batch_norm_whose_input_a_skip_reads_is_refused()
    {
        var network = new Network("refused", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 2, Same3), new BatchNorm2d("bn1", 2), new Conv2d("conv2", 2, 2, Same3),
            new ResidualAdd("add1", source: 1, fusedRelu: true), new Flatten("flatten"), new Dense("fc", 128, 10),
        ], maxBatch: 4);
        Assert.Contains("a skip connection reads conv1's output before the norm (activation 1)",
            Assert.Throws<NotSupportedException>(() => NetworkExporter.ToModel(network, new ModelMetadata())).Message);
    }
}
