using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The sharded training step: the same gradients as the whole batch through the network, and
/// bit-identical weights on any thread count (the cut depends on the batch size alone).</summary>
public sealed class ShardedStepTests
{
    private const int Batch = 200; // LeNet-300-100: shards of 128 and 72; LeNet-5: six of 32 and one of 8

    private static float[] TrainedWeights(string model, int threads)
    {
        Dataset data = SyntheticData.Images(500, seed: 7);
        var options = new TrainingOptions { Epochs = 1, BatchSize = Batch, Seed = 3, Threads = threads, WeightDecay = 1e-4 };
        var trainer = new Trainer(ModelZoo.Create(model, data.SampleShape, 10, 3, Batch), options);
        trainer.RunEpoch(data, 0);
        return trainer.Network.Parameters.SelectMany(p => p.Value).ToArray();
    }

    [Theory]
    [InlineData("lenet300")]
    [InlineData("lenet5")]
    [InlineData("resnet-mini")]
    [InlineData("resnet-proj")]
    [InlineData("squeeze-mini")]
    [InlineData("shuffle-mini")]
    [InlineData("mnv3-mini")]
    [InlineData("effnet-mini")]
    public void OneTwoAndThreeThreadsGiveTheSameWeights(string model)
    {
        Dataset data = SyntheticData.Images(1, seed: 1);
        Assert.True(ShardedStep.ShardSamplesFor(ModelZoo.Create(model, data.SampleShape, 10, 1)) < Batch);
        float[] one = TrainedWeights(model, 1);
        Assert.Equal(one, TrainedWeights(model, 2));
        Assert.Equal(one, TrainedWeights(model, 3));
    }

    [Theory]
    [InlineData("lenet300", 1e-5f)]
    [InlineData("lenet5", 1e-5f)]
    [InlineData("factorized", 1e-5f)]
    [InlineData("resnet-mini", 1e-5f)]
    // conv8's bias gradient sums 64 × 49 terms that mostly cancel, in another order per shard: 1.2e-5 of its largest entry
    // apart (measured), 3e-5 passes; a missing or doubled branch gradient would be of the order of the entries themselves.
    [InlineData("resnet-proj", 3e-5f)]
    [InlineData("squeeze-mini", 3e-5f)]
    [InlineData("shuffle-mini", 3e-5f)]
    [InlineData("mnv3-mini", 3e-5f)]
    [InlineData("effnet-mini", 3e-5f)]
    public void ShardedGradientsMatchTheWholeBatch(string model, float tolerance)
    {
        Dataset data = SyntheticData.Images(Batch, seed: 11);
        Network network = model == "factorized" ? FactorizedLeNet5() : ModelZoo.Create(model, data.SampleShape, 10, 5, Batch);
        if (model == "factorized") network.Initialize(5);
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = Batch, Threads = 2 });

        double shardedLoss = trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span);
        float[][] sharded = network.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        // The whole batch through the network's own passes (no shards).
        ReadOnlySpan<float> logits = network.Forward(data.Pixels.Span, Batch, new ComputeThreads(2));
        var logitGradient = new float[logits.Length];
        double loss = SoftmaxCrossEntropy.Compute(logits, data.Labels.Span, 10, logitGradient);
        network.Backward(logitGradient, Batch, new ComputeThreads(2));

        Assert.Equal(loss, shardedLoss, 5);
        AssertSameGradients(sharded, network, tolerance);
    }

    /// <summary>Asserts that a network of <paramref name="layers"/> on 8×8 images, whose trainer cuts a batch of 256 into two shards
    /// of 128, computes the gradients the network's own passes compute for the whole batch.</summary>
    internal static void AssertTwoShardsComputeTheWholeBatchsGradients(TrainingLayer[] layers)
    {
        const int batch = 256;
        Dataset data = SyntheticData.Images(batch, seed: 17, side: 8);
        var network = new Network("shards", new TensorShape(8, 8, 1), layers, maxBatch: batch);
        network.Initialize(9);
        Assert.Equal(128, ShardedStep.ShardSamplesFor(network));
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch, Threads = 2 });
        trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span);
        float[][] sharded = network.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        ReadOnlySpan<float> logits = network.Forward(data.Pixels.Span, batch, ComputeThreads.Single);
        var logitGradient = new float[logits.Length];
        SoftmaxCrossEntropy.Compute(logits, data.Labels.Span, 10, logitGradient);
        network.Backward(logitGradient, batch, ComputeThreads.Single);
        AssertSameGradients(sharded, network);
    }

    /// <summary>A shard's replica of each window keeps its four pads: a max pooling that padded every side as the top would
    /// pool the shards' images to another shape than the dense layer after it reads.</summary>
    [Fact]
    public void Shards_pad_each_side_as_the_network_does() => AssertTwoShardsComputeTheWholeBatchsGradients(
    [
        new Conv2d("conv1", 1, 4, new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1))), new Relu("relu1"), // 4×4×4
        new MaxPool2d("pool1", 3, 1, new WindowPadding(0, 1, 1, 0)),                                               // 3×3×4
        new DepthwiseConv2d("dw1", 4, new ConvolutionGeometry(4, 1, new WindowPadding(1, 1, 2, 2))),               // 3×3×4
        new Flatten("flatten"), new Dense("fc1", 3 * 3 * 4, 10),
    ]);

    /// <summary>Each parameter's gradient equals <paramref name="sharded"/>'s to <paramref name="tolerance"/> of its largest entry.</summary>
    internal static void AssertSameGradients(float[][] sharded, Network network, float tolerance = 1e-5f)
    {
        Parameter[] parameters = network.Parameters.ToArray();
        for (int p = 0; p < parameters.Length; p++)
        {
            float scale = parameters[p].Gradient.Max(MathF.Abs);
            for (int i = 0; i < sharded[p].Length; i++)
                Assert.True(MathF.Abs(sharded[p][i] - parameters[p].Gradient[i]) <= tolerance * scale + 1e-9f,
                    $"{parameters[p].Name}[{i}]: sharded {sharded[p][i]}, whole batch {parameters[p].Gradient[i]}");
        }
    }

    [Fact]
    public void EpochsEqualComputeGradientsAndStepOnTheSameBatches()
    {
        // Two epochs, so whatever an epoch does after its steps (the divergence check's forward pass) is between steps here.
        Dataset data = SyntheticData.Images(2 * Batch + 30, seed: 13);
        var options = new TrainingOptions { BatchSize = Batch, Threads = 2, Seed = 3 };
        var epochs = new Trainer(ModelZoo.Create("lenet300", data.SampleShape, 10, 3, Batch), options);
        epochs.RunEpoch(data, 0);
        epochs.RunEpoch(data, 1);

        var manual = new Trainer(ModelZoo.Create("lenet300", data.SampleShape, 10, 3, Batch), options);
        int size = data.SampleShape.Size;
        for (int epoch = 0; epoch < 2; epoch++)
        {
            int[] order = Trainer.ShuffledOrder(data.Count, options.Seed, epoch);
            for (int start = 0; start < data.Count; start += Batch)
            {
                int[] batch = order.Skip(start).Take(Batch).ToArray();
                float[] inputs = batch.SelectMany(i => data.Pixels.Slice(i * size, size).ToArray()).ToArray();
                byte[] labels = batch.Select(i => data.Labels.Span[i]).ToArray();
                manual.ComputeGradients(inputs, labels);
                manual.Optimizer.Step(options.Schedule.RateAt(epoch));
            }
        }
        Assert.Equal(manual.Network.Parameters.SelectMany(p => p.Value), epochs.Network.Parameters.SelectMany(p => p.Value));
    }

    [Theory]
    [InlineData("lenet300", 128)]
    [InlineData("lenet5", 32)]
    [InlineData("resnet-mini", 8)] // 16 samples of its activations and im2col patches exceed the budget: the smallest shard
    public void ShardsAreSizedByTheArchitecture(string model, int samples)
    {
        Dataset data = SyntheticData.Images(1, seed: 1);
        Assert.Equal(samples, ShardedStep.ShardSamplesFor(ModelZoo.Create(model, data.SampleShape, 10, 1)));
        Assert.Equal(samples, ShardedStep.ShardSamplesFor(ModelZoo.Create(model, data.SampleShape, 10, 1, maxBatch: 64)));
    }

    [Fact]
    public void ReplacingALayerRebuildsTheShards()
    {
        Dataset data = SyntheticData.Images(Batch, seed: 12);
        Network network = ModelZoo.Create("lenet300", data.SampleShape, 10, 5, Batch);
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = Batch, Threads = 2 });
        trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span);
        int index = network.Layers.ToList().FindIndex(l => l.Name == "fc2");
        var factorized = FactorizedLayer.Dense("fc2", 300, 20, 100, FactorizationMethod.Svd);
        network.Replace(index, factorized);
        network.Initialize(9);
        trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span);
        Assert.Contains(factorized.Parameters, p => p.Gradient.Any(g => g != 0));
    }

    private static Network FactorizedLeNet5() => new("factorized", new TensorShape(28, 28, 1),
    [
        FactorizedLayer.Conv("conv1", 1, 4, 12, new ConvolutionGeometry(5), FactorizationMethod.Svd),
        new MaxPool2d("pool1", 2, 2),
        new Conv2d("conv2", 12, 16, new ConvolutionGeometry(5)),
        new MaxPool2d("pool2", 2, 2),
        new Flatten("flatten"),
        FactorizedLayer.Dense("fc1", 256, 8, 40, FactorizationMethod.Cur),
        new Relu("relu1"),
        new Dense("fc2", 40, 10),
    ], Batch);
}
