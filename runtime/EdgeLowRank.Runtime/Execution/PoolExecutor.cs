using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>Max or average pooling, image by image; the scalar reference on <see cref="KernelPath.Scalar"/>. A padded
/// pooling (only max pooling pads: <see cref="MaxPool2dLayer"/>) copies each image into a −∞-bordered scratch buffer
/// first, where a border pixel never wins, and pools that without padding. One image's channels are split across the
/// session's threads in runs of 16 (a cache line of outputs, and a whole vector at every width): an EfficientNet's
/// squeeze-and-excitation pools a whole image into one pixel, which has no rows to split.</summary>
internal sealed class PoolExecutor<TPooling> : LayerExecutor where TPooling : IWindowPooling
{
    private readonly TensorShape _input;
    private readonly ConvolutionGeometry _geometry;
    private readonly int _outputLength;
    private readonly RangeKernel _pool;

    /// <summary>The pooling <paramref name="layer"/> of images of shape <paramref name="input"/>.</summary>
    public PoolExecutor(PoolLayer layer, TensorShape input)
    {
        (_input, _geometry) = (input, layer.Geometry);
        _outputLength = layer.GetOutputShape(input).ElementCount;
        _pool = PoolChannels;
    }

    /// <summary>Channels a part pools: 16, or a multiple.</summary>
    private const int ChannelAlignment = 16;

    private WindowPadding Pads => _geometry.Pads;

    public override long ScratchFloats(int maxBatch) => MaxPoolKernel.BorderedFloats(_input[0], _input[1], _input[2], _geometry);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        (int height, int width, int channels) = (_input[0], _input[1], _input[2]);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> image = source.Slice(b * _input.ElementCount, _input.ElementCount);
            if (!Pads.IsZero && kernels.Path != KernelPath.Scalar) // only max pooling pads; the oracle skips the border itself
                image = BorderedImage.Copy(image, height, width, channels, Pads, float.NegativeInfinity, scratch);
            kernels.Ranges(_pool, image, ReadOnlySpan<float>.Empty, destination.Slice(b * _outputLength, _outputLength),
                channels, height * width, ChannelAlignment);
        }
    }

    /// <summary>Channels <paramref name="first"/> up to <paramref name="end"/> of one image: the oracle on the image as it
    /// is, the fast path on it or its bordered copy.</summary>
    private void PoolChannels(KernelPath path, ReadOnlySpan<float> image, ReadOnlySpan<float> unused, Span<float> pooled, int first, int end)
    {
        (int height, int width, int channels) = (_input[0], _input[1], _input[2]);
        if (path == KernelPath.Scalar)
            PoolKernel<TPooling>.Reference(image, height, width, channels, _geometry, pooled, first, end);
        else
            PoolKernel<TPooling>.RunValidated(image, height + Pads.Height, width + Pads.Width, channels, _geometry.Unpadded, pooled, first, end);
    }
}
