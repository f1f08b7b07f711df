using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>Max pooling of a channels-last image; see <see cref="PoolKernel{TPooling}"/> for the paths. A padded window
/// (<see cref="RunPadded"/>) takes the maximum of its pixels inside the image.</summary>
internal static class MaxPoolKernel
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The window has padding, or a span is shorter than the shapes say.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<MaxPooling>.Run(image, height, width, channels, geometry, output);

    /// <summary>Floats of scratch <see cref="RunPadded"/> needs for one image: the −∞-bordered copy (0 without padding).</summary>
    public static int BorderedFloats(int height, int width, int channels, ConvolutionGeometry geometry) =>
        BorderedImage.Floats(height, width, channels, geometry.Pads);

    /// <summary>Pools one image with windows that may hang over its edges by <c>geometry.Pads</c>, of which only
    /// the pixels inside count: the image is copied into <paramref name="bordered"/> (<see cref="BorderedFloats"/> floats)
    /// with a −∞ border, which never wins, and that copy is pooled without padding.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the shapes say.</exception>
    public static void RunPadded(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output, Span<float> bordered)
    {
        if (geometry.Pads.IsZero)
        {
            Run(image, height, width, channels, geometry, output);
            return;
        }
        if (image.Length != (long)height * width * channels)
            throw new ArgumentException($"The image holds {image.Length} floats; {height}×{width}×{channels} needs {(long)height * width * channels}.", nameof(image));
        if (bordered.Length < BorderedFloats(height, width, channels, geometry))
            throw new ArgumentException($"The bordered copy needs {BorderedFloats(height, width, channels, geometry)} floats; the scratch holds {bordered.Length}.", nameof(bordered));
        RunPaddedValidated(image, height, width, channels, geometry, output, bordered);
    }

    /// <summary>The same without the checks, for the inference session, which checked the shapes and sized its scratch once
    /// at load.</summary>
    internal static void RunPaddedValidated(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output, Span<float> bordered)
    {
        ReadOnlySpan<float> copy = BorderedImage.Copy(image, height, width, channels, geometry.Pads, float.NegativeInfinity, bordered);
        PoolKernel<MaxPooling>.RunValidated(copy, height + geometry.Pads.Height, width + geometry.Pads.Width, channels, geometry.Unpadded, output);
    }

    /// <summary>The scalar oracle.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<MaxPooling>.Reference(image, height, width, channels, geometry, output);
}

/// <summary>Average pooling of a channels-last image (no padding); see <see cref="PoolKernel{TPooling}"/> for the paths.</summary>
internal static class AvgPoolKernel
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The window has padding, or a span is shorter than the shapes say.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<AveragePooling>.Run(image, height, width, channels, geometry, output);

    /// <summary>The scalar oracle.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        PoolKernel<AveragePooling>.Reference(image, height, width, channels, geometry, output);
}
