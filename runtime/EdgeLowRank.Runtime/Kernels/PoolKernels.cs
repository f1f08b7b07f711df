using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Max pooling of a channels-last image (no padding); see <see cref="PoolKernel{TPooling}"/> for the paths.</summary>
public static class MaxPoolKernel
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The window has padding, or a span is shorter than the shapes say.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<MaxPooling>.Run(image, height, width, channels, geometry, output);

    /// <summary>The scalar oracle.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<MaxPooling>.Reference(image, height, width, channels, geometry, output);
}

/// <summary>Average pooling of a channels-last image (no padding); see <see cref="PoolKernel{TPooling}"/> for the paths.</summary>
public static class AvgPoolKernel
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The window has padding, or a span is shorter than the shapes say.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<AveragePooling>.Run(image, height, width, channels, geometry, output);

    /// <summary>The scalar oracle.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<AveragePooling>.Reference(image, height, width, channels, geometry, output);
}
