using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// A frozen layer (an imported network's input normalization, kept as a 1×1 depthwise layer) keeps its values through SGD
/// with weight decay, on one thread or on the sharded step's replicas, passes gradients through as the layer itself would,
/// and is written back as that layer.
/// </summary>
public sealed class FrozenLayerTests
{
    private const int Batch = 256;   // two shards of the sharded step (128 samples each for so small a network)
    private static readonly TensorShape Image = new(6, 6, 2);

    /// <summary>(x − mean)/std per channel as the import keeps it, then conv 3×3 (same) to 4, ReLU, flatten, dense 4.</summary>
    private static Model Imported()
    {
        var network = new Network("normalized", Image,
            [new DepthwiseConv2d("dw1", 2, new ConvolutionGeometry(1)), new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"),
             new Flatten("flatten"), new Dense("fc1", 6 * 6 * 4, 4)], maxBatch: Batch);
        network.Initialize(3);
        var normalization = (DepthwiseConv2d)network.Layers[0];
        new float[] { 1 / 0.3f, 1 / 0.2f }.CopyTo(normalization.Filters.Value, 0);
        new float[] { -0.5f / 0.3f, 0.25f / 0.2f }.CopyTo(normalization.Bias!.Value, 0);
        return NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
    }

    private static void Train(Network network, int threads, int steps = 3)
    {
        var random = new SeededRandom(6);
        float[] inputs = GradientCheck.Uniform(random, Batch * Image.ElementCount, 1);
        byte[] labels = Enumerable.Range(0, Batch).Select(i => (byte)(i % 4)).ToArray();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = Batch, Threads = threads, WeightDecay = 5e-3 });
        for (int step = 0; step < steps; step++)
        {
            trainer.ComputeGradients(inputs, labels);
            trainer.Optimizer.Step(0.1);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_frozen_first_layer_keeps_its_values_while_the_others_train(int threads)
    {
        using Model model = Imported();
        var kept = (DepthwiseConv2dLayer)model.Layers[0];
        Network network = NetworkImporter.ToNetwork(model, Batch, frozenLayers: [0]);
        float[] convBefore = ((Conv2d)network.Layers[1]).Weight.Value.ToArray();

        Train(network, threads);

        var frozen = Assert.IsType<FrozenLayer>(network.Layers[0]);
        Assert.Equal(kept.Filters.ToArray(), ((DepthwiseConv2d)frozen.Inner).Filters.Value);
        Assert.Equal(kept.Bias.ToArray(), ((DepthwiseConv2d)frozen.Inner).Bias!.Value);
        Assert.NotEqual(convBefore, ((Conv2d)network.Layers[1]).Weight.Value);
        Assert.DoesNotContain(network.Parameters, p => p.Name.StartsWith("dw1", StringComparison.Ordinal));
        // Written back as the layer it wraps, with the values it was given.
        using Model written = NetworkExporter.ToModel(network, new ModelMetadata(), appendSoftmax: false);
        var back = Assert.IsType<DepthwiseConv2dLayer>(written.Layers[0]);
        Assert.Equal(kept.Filters.ToArray(), back.Filters.ToArray());
        Assert.Equal(kept.Bias.ToArray(), back.Bias.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_frozen_first_layer_changes_no_other_gradient_in_the_sharded_step(bool depthwise)
    {
        // Batch 256 runs as two shards; a frozen convolution first is packed for the shards' replicas like any other.
        Network Build(bool freeze)
        {
            TrainingLayer first = depthwise ? new DepthwiseConv2d("first", 2, new ConvolutionGeometry(3, 1, 1)) : new Conv2d("first", 2, 2, new ConvolutionGeometry(3, 1, 1));
            var network = new Network("frozen-first", Image,
                [first, new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"), new Flatten("flatten"), new Dense("fc1", 6 * 6 * 4, 4)],
                maxBatch: Batch);
            network.Initialize(9);
            if (freeze) network.Replace(0, new FrozenLayer(first));
            return network;
        }
        AssertTheOtherGradientsAreTheUnfrozenNetworks(Build, threads: 2);
    }

    [Fact]
    public void Gradients_pass_through_a_frozen_layer_as_through_the_layer()
    {
        // The normalization between two trained layers: conv1's gradient needs the frozen layer's input gradient.
        Network Build(bool freeze)
        {
            var middle = new DepthwiseConv2d("dw1", 4, new ConvolutionGeometry(3, 1, 1));
            var network = new Network("middle", Image,
                [new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1)), new Relu("relu1"), middle, new Flatten("flatten"), new Dense("fc1", 6 * 6 * 4, 4)],
                maxBatch: Batch);
            network.Initialize(5);
            if (freeze) network.Replace(2, new FrozenLayer(middle));
            return network;
        }
        AssertTheOtherGradientsAreTheUnfrozenNetworks(Build, threads: 1);
    }

    /// <summary>One step's gradients of the network <paramref name="build"/> makes with its layer frozen (true) equal, parameter
    /// by parameter, those of the same network unfrozen (false); the frozen network trains conv1 and fc1 only.</summary>
    private static void AssertTheOtherGradientsAreTheUnfrozenNetworks(Func<bool, Network> build, int threads)
    {
        Network plain = build(false), frozen = build(true);
        float[] inputs = GradientCheck.Uniform(new SeededRandom(7), Batch * Image.ElementCount, 1);
        byte[] labels = Enumerable.Range(0, Batch).Select(i => (byte)(i % 4)).ToArray();

        new Trainer(plain, new TrainingOptions { BatchSize = Batch, Threads = threads }).ComputeGradients(inputs, labels);
        new Trainer(frozen, new TrainingOptions { BatchSize = Batch, Threads = threads }).ComputeGradients(inputs, labels);

        Assert.Equal(["conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias"], frozen.Parameters.Select(p => p.Name));
        Assert.Contains(frozen.Parameters.First().Gradient, g => g != 0);
        foreach (Parameter p in frozen.Parameters) Assert.Equal(plain.Parameters.Single(q => q.Name == p.Name).Gradient, p.Gradient);
    }

    [Theory]
    [InlineData(2)]   // the flatten
    [InlineData(4)]   // past the last layer
    [InlineData(-1)]
    public void Only_a_layer_with_parameters_can_be_kept_fixed(int index)
    {
        using Model model = Imported();

        var e = Assert.Throws<TrainingException>(() => NetworkImporter.ToNetwork(model, Batch, frozenLayers: [index]));

        Assert.Contains($"Layer {index} cannot be kept fixed", e.Message);
    }

    [Fact]
    public void A_layer_without_parameters_a_frozen_one_or_a_batch_norm_is_refused()
    {
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new FrozenLayer(new Relu("relu1"))).Message);
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new FrozenLayer(new FrozenLayer(new Dense("fc1", 2, 2)))).Message);
        Assert.Contains("running statistics", Assert.Throws<ArgumentException>(() => new FrozenLayer(new BatchNorm2d("bn1", 2))).Message);
    }
}
