using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Batch norm: its gradient through the batch statistics, PyTorch's running-statistics rule, the two modes, weight
/// decay, and bit-identical training on one, two and three threads.</summary>
public sealed class BatchNormTests
{
    [Theory]
    [InlineData(3, 4, 3)] // images: 3 samples of 4×4×3, each channel's statistics over 48 values
    [InlineData(6, 1, 5)] // vectors: 6 samples of 5 values
    public void Its_input_gamma_and_beta_gradients_through_the_batch_statistics_match_finite_differences(int batch, int side, int channels)
    {
        TensorShape shape = side == 1 ? new TensorShape(channels) : new TensorShape(side, side, channels);
        GradientCheck.Verify(new BatchNorm2d("bn", channels), shape, batch);
    }

    /// <summary>conv → BN → ReLU → conv → BN → ReLU → pool → dense in training mode: the loss depends on the batch's statistics,
    /// and conv2's input gradient passes through bn1's backward pass.</summary>
    [Fact]
    public void A_network_with_batch_norm_has_the_gradients_finite_differences_give()
    {
        var network = new Network("bn", new TensorShape(6, 6, 2),
        [
            new Conv2d("conv1", 2, 4, new ConvolutionGeometry(3, 1, 1), hasBias: false), new BatchNorm2d("bn1", 4), new Relu("relu1"),
            new Conv2d("conv2", 4, 3, new ConvolutionGeometry(3, 1, 1)), new BatchNorm2d("bn2", 3), new Relu("relu2"),
            new AvgPool2d("pool", 6, 6), new Flatten("flatten"), new Dense("fc", 3, 4),
        ], maxBatch: 5);
        network.Initialize(3);
        var random = new SeededRandom(8);
        foreach (BatchNorm2d norm in network.Layers.OfType<BatchNorm2d>())
        {
            // γ away from 1 and β away from 0, so a wrong factor of either shows.
            float[] gamma = GradientCheck.Uniform(random, norm.Channels, 0.5f);
            for (int c = 0; c < norm.Channels; c++) norm.Gamma.Value[c] = 1 + gamma[c];
            GradientCheck.Uniform(random, norm.Channels, 0.5f).CopyTo(norm.Beta.Value, 0);
        }
        float[] inputs = GradientCheck.Uniform(random, 5 * 72, 1);
        GradientCheck.VerifyNetwork(network, inputs, [0, 1, 2, 3, 1], random);
    }

    /// <summary>Two training passes against a hand computation: the biased variance normalizes, the unbiased one enters the
    /// running variance, with PyTorch's running = 0.9·running + 0.1·batch.</summary>
    [Fact]
    public void Training_normalizes_with_the_batch_and_updates_the_running_statistics_as_PyTorch_does()
    {
        var norm = new BatchNorm2d("bn", 2);
        norm.Bind(new TensorShape(1, 2, 2), maxBatch: 2);
        norm.Gamma.Value[1] = 2;
        norm.Beta.Value[1] = 0.5f;
        // Two samples of 1×2 pixels × 2 channels: channel 0 holds 1, 2, 3, 6; channel 1 holds 4, 4, 8, 0.
        float[] x = [1, 4, 2, 4, 3, 8, 6, 0], y = new float[8];
        norm.Forward(x, y, 2, ComputeThreads.Single);

        double mean0 = 3, biased0 = (4 + 1 + 0 + 9) / 4.0, unbiased0 = 14 / 3.0;
        double mean1 = 4, biased1 = (0 + 0 + 16 + 16) / 4.0, unbiased1 = 32 / 3.0;
        Assert.Equal(0.1 * mean0, norm.RunningMean[0], 6);
        Assert.Equal(0.9 + 0.1 * unbiased0, norm.RunningVariance[0], 6);
        Assert.Equal(0.1 * mean1, norm.RunningMean[1], 6);
        Assert.Equal(0.9 + 0.1 * unbiased1, norm.RunningVariance[1], 6);
        Assert.Equal((6 - mean0) / Math.Sqrt(biased0 + 1e-5), y[6], 5);
        Assert.Equal(2 * (8 - mean1) / Math.Sqrt(biased1 + 1e-5) + 0.5, y[5], 5);

        norm.Forward(x, y, 2, ComputeThreads.Single);
        Assert.Equal(0.9 * 0.1 * mean0 + 0.1 * mean0, norm.RunningMean[0], 6);
        Assert.Equal(0.9 * (0.9 + 0.1 * unbiased1) + 0.1 * unbiased1, norm.RunningVariance[1], 5);
    }

    [Fact]
    public void Evaluation_uses_the_running_statistics_leaves_them_alone_and_treats_each_sample_by_itself()
    {
        var network = new Network("bn", new TensorShape(3), [new BatchNorm2d("bn", 3), new Dense("fc", 3, 2)], maxBatch: 4);
        network.Initialize(1);
        var norm = (BatchNorm2d)network.Layers[0];
        var fc = (Dense)network.Layers[1];
        new float[] { 1f, -2f, 0.5f }.CopyTo(norm.RunningMean, 0);
        new float[] { 4f, 0.25f, 1f }.CopyTo(norm.RunningVariance, 0);
        new float[] { 2f, 1f, -1f }.CopyTo(norm.Gamma.Value, 0);
        new float[] { 0f, 3f, 1f }.CopyTo(norm.Beta.Value, 0);
        float[] sample = [3, -1, 0.5f], batch = [3, -1, 0.5f, 10, 20, 30];

        float[] one = network.Forward(sample, 1, ComputeThreads.Single).ToArray();
        float[] two = network.Forward(batch, 2, ComputeThreads.Single).ToArray();

        float[] normalized = [.. Enumerable.Range(0, 3).Select(c =>
            (float)(norm.Gamma.Value[c] * (sample[c] - norm.RunningMean[c]) / Math.Sqrt(norm.RunningVariance[c] + 1e-5) + norm.Beta.Value[c]))];
        for (int o = 0; o < 2; o++)
        {
            double expected = fc.Bias!.Value[o] + Enumerable.Range(0, 3).Sum(c => (double)fc.Weight.Value[o * 3 + c] * normalized[c]);
            Assert.Equal(expected, one[o], 5);
        }
        Assert.Equal(one, two[..2]);
        Assert.Equal([1f, -2f, 0.5f], norm.RunningMean);
        Assert.Equal([4f, 0.25f, 1f], norm.RunningVariance);
        Assert.Contains("training mode", Assert.Throws<InvalidOperationException>(() => network.Backward(new float[4], 2, ComputeThreads.Single)).Message);
    }

    /// <summary>Every training step runs each norm forward and backward: on one thread (no fork and join, which allocates in
    /// the thread pool) those passes and an evaluation pass allocate nothing once the first step has sized the scratch. 600
    /// rows make two blocks of 256 and a short last one.</summary>
    [Fact]
    public void A_forward_and_backward_pass_after_the_first_allocates_nothing_on_one_thread()
    {
        const int batch = 24;
        var norm = new BatchNorm2d("bn", 16);
        norm.Bind(new TensorShape(5, 5, 16), batch);
        float[] x = GradientCheck.Uniform(new SeededRandom(3), batch * 400, 1), y = new float[x.Length], dy = (float[])x.Clone(), dx = new float[x.Length];
        void Step()
        {
            norm.Mode = ForwardMode.Training;
            norm.Forward(x, y, batch, ComputeThreads.Single);
            norm.Backward(x, y, dy, dx, batch, ComputeThreads.Single);
            norm.Mode = ForwardMode.Evaluation;
            norm.Forward(x, y, batch, ComputeThreads.Single);
        }
        Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Training_a_single_value_per_channel_is_refused()
    {
        var network = new Network("bn", new TensorShape(3), [new BatchNorm2d("bn", 3), new Dense("fc", 3, 2)], maxBatch: 4);
        Assert.Contains("more than one value per channel",
            Assert.Throws<TrainingException>(() => network.Forward(new float[3], 1, ComputeThreads.Single, ForwardMode.Training)).Message);
    }

    /// <summary>γ and β are not decayed (as PyTorch recipes exclude normalization parameters): a step with no gradient leaves
    /// them where they are, while it shrinks a weight.</summary>
    [Fact]
    public void Weight_decay_leaves_gamma_and_beta_alone()
    {
        var norm = new BatchNorm2d("bn", 2);
        var dense = new Dense("fc", 2, 2);
        norm.Beta.Value[0] = 0.5f;
        dense.Weight.Value[0] = 1;
        new NesterovSgd([.. norm.Parameters, .. dense.Parameters], momentum: 0.9, weightDecay: 0.1).Step(0.5);
        Assert.Equal([1f, 1f], norm.Gamma.Value);
        Assert.Equal([0.5f, 0f], norm.Beta.Value);
        Assert.Equal(1 - 0.5f * 0.1f * 1.9f, dense.Weight.Value[0], 6);
    }

    /// <summary>A batch of 256 on a network whose shards would hold 128 samples: the step still normalizes with the whole
    /// batch's statistics (a shard would see only its half), as a plain forward and backward pass over all 256 does.</summary>
    [Fact]
    public void The_trainer_takes_the_batch_statistics_over_the_whole_batch()
    {
        Dataset data = SyntheticData.Images(256, seed: 4, side: 4);
        Network Build()
        {
            var n = new Network("bn", new TensorShape(4, 4, 1),
                [new Flatten("flatten"), new Dense("fc1", 16, 8), new BatchNorm2d("bn", 8), new Relu("relu"), new Dense("fc2", 8, 10)]);
            n.Initialize(2);
            return n;
        }
        Network sharded = Build(), whole = Build();
        Assert.True(ShardedStep.ShardSamplesFor(sharded) < 256);
        new Trainer(sharded, new TrainingOptions { BatchSize = 256, Threads = 2 }).ComputeGradients(data.Pixels.Span, data.Labels.Span);

        ReadOnlySpan<float> logits = whole.Forward(data.Pixels.Span, 256, ComputeThreads.Single, ForwardMode.Training);
        float[] gradient = new float[256 * 10];
        SoftmaxCrossEntropy.Compute(logits, data.Labels.Span, 10, gradient);
        whole.Backward(gradient, 256, ComputeThreads.Single);

        foreach (var (a, b) in sharded.Parameters.Zip(whole.Parameters))
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a.Gradient[i] - b.Gradient[i]) <= 1e-6 + 1e-5 * Math.Abs(b.Gradient[i]), $"{a.Name}[{i}]");
    }

    [Fact]
    public void One_two_and_three_threads_train_bit_identical_weights_and_statistics()
    {
        float[] Trained(int threads)
        {
            Dataset data = SyntheticData.Images(200, seed: 99);
            var options = new TrainingOptions { Epochs = 1, BatchSize = 64, Seed = 3, Threads = threads, WeightDecay = 1e-4 };
            var trainer = new Trainer(ModelZoo.Create("resnet-mini-bn", data.SampleShape, 10, 3, options.BatchSize), options);
            trainer.RunEpoch(data, 0);
            IEnumerable<BatchNorm2d> norms = trainer.Network.Layers.OfType<BatchNorm2d>();
            return [.. trainer.Network.Parameters.SelectMany(p => p.Value), .. norms.SelectMany(n => n.RunningMean.Concat(n.RunningVariance))];
        }
        float[] one = Trained(1);
        Assert.Equal(one, Trained(2));
        Assert.Equal(one, Trained(3));
    }
}
