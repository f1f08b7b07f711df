using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary>An MNIST-shaped model in which only one layer could quantize its inputs and none can once conv1 is kept f32: a 1×1
/// convolution to 84 channels (conv1), then a dense layer (fc1) of 28·28·84 = 65,856 inputs, more than
/// <see cref="Layer.MaxIntegerInputs"/>.</summary>
internal static class TooWideForIntegers
{
    private const int Channels = 84;

    /// <summary>The model, f32, with small nonzero weights.</summary>
    public static Model Create()
    {
        int inputs = 28 * 28 * Channels;
        var conv = new Conv2dLayer(PackedMatrix.FromRowMajor(Enumerable.Repeat(0.5f, Channels).ToArray(), 1, Channels), ReadOnlyMemory<float>.Empty, 1,
            new ConvolutionGeometry(1));
        var dense = new DenseLayer(PackedMatrix.FromRowMajor(Enumerable.Range(0, inputs * 10).Select(i => (i % 7 - 3) * 1e-3f).ToArray(), inputs, 10),
            ReadOnlyMemory<float>.Empty);
        return new Model(new TensorShape(28, 28, 1), [conv, new FlattenLayer(), dense], new ModelMetadata());
    }
}
