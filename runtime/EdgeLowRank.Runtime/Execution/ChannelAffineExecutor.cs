using System.Numerics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A 1×1, stride-1, unpadded depthwise convolution run as the per-channel affine map it is (<see cref="ChannelAffineKernel"/>):
/// every pixel of the whole batch in one pass, split across the session's threads in runs of pixels whose boundaries fall on
/// whole cache lines. Each output rounds as the path it replaced did, so a model's outputs keep their bits: once (a fused
/// multiply-add from the bias) from <see cref="Vector{T}.Count"/> channels, where the depthwise loop ran, the product and
/// the sum each below that, where the dense convolution ran (its panels add the bias to the finished product), and on the
/// scalar path, where both ran their references.
/// </summary>
internal sealed class ChannelAffineExecutor : LayerExecutor
{
    private readonly DepthwiseConv2dLayer _layer;
    private readonly FusedActivation _activation;
    private readonly float[] _weights, _bias;
    private readonly bool _fused;
    private readonly int _rowAlignment;
    private readonly RangeKernel _affine;

    /// <summary>The executor of <paramref name="layer"/>, which must be 1×1, stride 1, no padding, applying <paramref name="activation"/>.</summary>
    public ChannelAffineExecutor(DepthwiseConv2dLayer layer, FusedActivation activation)
    {
        _layer = layer;
        _activation = activation;
        _weights = ChannelAffineKernel.Pattern(layer.Filters.Span, layer.Channels);
        _bias = ChannelAffineKernel.Pattern(layer.Bias.Span, layer.Channels);
        _fused = layer.Channels >= Vector<float>.Count;
        _rowAlignment = SplitKernelRunner.RowAlignment(layer.Channels);
        _affine = AffinePixels;
    }

    /// <summary>Whether <paramref name="layer"/> is such a convolution: one tap, read where its output lies.</summary>
    public static bool Handles(DepthwiseConv2dLayer layer) => layer.Geometry == new ConvolutionGeometry(1, 1, 0);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        // An output pixel is its input pixel, so the batch's images are one run of pixels.
        int length = source.Length;
        kernels.Ranges(_affine, source, ReadOnlySpan<float>.Empty, destination[..length], length / _layer.Channels, _layer.Channels, _rowAlignment);
    }

    /// <summary>Pixels <paramref name="start"/> up to <paramref name="end"/>.</summary>
    private void AffinePixels(KernelPath path, ReadOnlySpan<float> x, ReadOnlySpan<float> unused, Span<float> y, int start, int end)
    {
        int channels = _layer.Channels;
        ReadOnlySpan<float> pixels = x[(start * channels)..(end * channels)];
        Span<float> outputs = y[(start * channels)..(end * channels)];
        if (path == KernelPath.Scalar) ChannelAffineKernel.Reference(pixels, _layer.Filters.Span, _layer.Bias.Span, channels, _activation, outputs);
        else ChannelAffineKernel.Run(pixels, _weights, _bias, channels, _fused, _activation, outputs);
    }
}
