using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Max pooling whose windows hang over the image's edges (ResNet's stem: 3×3, stride 2, padding 1; Keras' SAME
/// pooling: the bottom and right only): the forward pass against the runtime's session, the vector routing against its
/// scalar oracle, and a network's gradients against finite differences (the layer's own: <see cref="LayerGradientTests.MaxPool2d"/>).</summary>
public sealed class PaddedMaxPoolTests
{
    /// <summary>Values from a few negative (and, unless <paramref name="negative"/>, positive) levels: ties in most windows,
    /// and with <paramref name="negative"/> every window's inside pixels below the zero a wrong border would put there.</summary>
    private static float[] FewLevels(int length, ulong seed, bool negative)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(_ => negative ? -0.5f - random.NextInt(2) : random.NextInt(4) - 1.5f).ToArray();
    }

    /// <summary>The padding is one number for every side, or top, left, bottom and right (<see cref="SidePads"/>).</summary>
    [Theory]
    [InlineData(3, 2, 9, 9, 5, 1)]  // ResNet's stem on an odd side: the last window hangs over the far edge too
    [InlineData(3, 2, 8, 6, 16, 1)]
    [InlineData(2, 2, 7, 7, 3, 1)]
    [InlineData(3, 1, 4, 5, 9, 2)]  // more padding than stride: corner windows hold a single inside pixel
    [InlineData(3, 2, 8, 6, 16, 0, 0, 1, 1)] // Keras' SAME pooling over even sides
    [InlineData(4, 1, 5, 6, 9, 1, 1, 2, 2)]
    [InlineData(3, 2, 7, 8, 5, 0, 1, 1, 0)]
    public void The_forward_pass_equals_the_runtime_sessions(int size, int stride, int height, int width, int channels, params int[] sides)
    {
        const int Batch = 6;
        var shape = new TensorShape(height, width, channels);
        WindowPadding pads = SidePads.Of(sides);
        var pool = new MaxPool2d("pool", size, stride, pads);
        TensorShape output = pool.Bind(shape, Batch);
        foreach (bool negative in new[] { false, true })
        {
            float[] images = FewLevels(Batch * shape.ElementCount, 1, negative);
            var expected = new float[Batch * output.ElementCount];
            using (var model = new Model(shape, [new MaxPool2dLayer(size, stride, pads)], new ModelMetadata()))
            using (var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = Batch }))
                session.Run(images, expected, Batch);
            var actual = new float[expected.Length];
            pool.Forward(images, actual, Batch, new ComputeThreads(2)); // two workers, each in its own bordered copy
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(3, 2, false, 1)]
    [InlineData(3, 2, true, 1)]
    [InlineData(2, 1, false, 1)]
    [InlineData(3, 3, true, 1)]
    [InlineData(3, 2, true, 0, 0, 1, 1)]
    [InlineData(4, 1, false, 1, 1, 2, 2)]
    [InlineData(3, 2, true, 0, 1, 1, 0)]
    public void The_vector_routing_equals_the_scalar_oracle_for_1_to_20_channels(int size, int stride, bool negative, params int[] sides)
    {
        for (int channels = 1; channels <= 20; channels++)
        {
            var pool = new MaxPool2d("pool", size, stride, SidePads.Of(sides));
            TensorShape output = pool.Bind(new TensorShape(7, 6, channels), 1);
            float[] image = FewLevels(7 * 6 * channels, (ulong)channels, negative);
            var pooled = new float[output.ElementCount];
            pool.Forward(image, pooled, 1, ComputeThreads.Single);
            float[] pooledGradient = GradientCheck.Uniform(new SeededRandom(100 + (ulong)channels), pooled.Length, 1);
            float[] expected = new float[image.Length], actual = new float[image.Length];
            pool.RouteToMaximaReference(image, pooled, pooledGradient, expected);
            pool.Backward(image, pooled, pooledGradient, actual, 1, ComputeThreads.Single);
            Assert.Equal(expected, actual);
            // Every window routes its gradient to some inside pixel: none is lost to the border.
            Assert.Equal(pooledGradient.Sum(g => (double)g), actual.Sum(g => (double)g), 4);
        }
    }

    [Fact]
    public void A_network_through_a_padded_pool_matches_finite_differences()
    {
        // conv 3×3 (8×8 → 6×6×3) → max pool 3×3, stride 2, padding 1 (→ 3×3×3) → flatten → dense → cross-entropy.
        var network = new Network("padded-pool", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv", 1, 3, new ConvolutionGeometry(3)), new MaxPool2d("pool", 3, 2, padding: 1), new Flatten("flatten"),
            new Dense("fc", 27, 4),
        ], maxBatch: 3);
        network.Initialize(11);
        var random = new SeededRandom(12);
        GradientCheck.VerifyNetwork(network, GradientCheck.Uniform(random, 3 * 64, 1), [1, 3, 0], random);
    }
}
