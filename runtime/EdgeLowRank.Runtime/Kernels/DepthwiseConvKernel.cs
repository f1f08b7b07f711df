using System.Numerics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A depthwise convolution of a channels-last image (<see cref="DepthwiseConv2dLayer"/>), as the compressor's training
/// layer runs it and a session does for layers of at least <see cref="Vector{T}.Count"/> channels (below that a session
/// runs the equivalent dense convolution, which is faster there, and a 1×1, stride-1, unpadded one at any channel count as
/// <see cref="ChannelAffineKernel"/>: ExecutorFactory). The channels of a pixel are contiguous
/// and so are a tap's filter weights, so the fast path multiplies and adds whole <see cref="Vector{T}"/>s of channels
/// (<see cref="DepthwiseLoop"/>); an image with fewer channels than a vector has lanes runs the scalar oracle. No GEMM:
/// each output is a k·k dot product of its own, which a matrix kernel would run as k·k·c × c with all but one weight per
/// column zero. <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/> path. Both add a
/// window's taps in the same order, starting from the bias; the loop fuses each multiply-add where the CPU has FMA, so it
/// agrees with the oracle to rounding.
/// </summary>
internal static class DepthwiseConvKernel
{
    /// <summary>Convolves one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <param name="image">height × width × channels floats.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="channels">Channels, in and out.</param>
    /// <param name="filters">k·k × channels floats, tap-major (<see cref="DepthwiseConv2dLayer.Filters"/>).</param>
    /// <param name="bias">One per channel, or empty.</param>
    /// <param name="geometry">Kernel, stride and zero padding.</param>
    /// <param name="activation">The fused activation.</param>
    /// <param name="output">At least out-height × out-width × channels floats.</param>
    /// <exception cref="ArgumentException">The window is invalid or does not fit, or a span's length disagrees with the shapes.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, Activation activation, Span<float> output)
    {
        Validate(image, height, width, channels, filters, bias, geometry, output);
        RunValidated(image, height, width, channels, filters, bias, geometry, FusedActivation.Of(activation), output, 0, geometry.OutputHeight(height));
    }

    /// <summary>The same without the checks, for the inference session, which checked the shapes once at load, and for
    /// output rows <paramref name="firstRow"/> up to <paramref name="endRow"/> only: how a session splits an image across threads.</summary>
    internal static void RunValidated(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstRow, int endRow)
    {
        if (channels >= Vector<float>.Count)
            DepthwiseLoop.Run(image, height, width, channels, filters, bias, geometry, activation, output, firstRow, endRow);
        else
            Reference(image, height, width, channels, filters, bias, geometry, activation, output, firstRow, endRow);
    }

    private static void Validate(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, Span<float> output)
    {
        geometry.Validate();
        if (height < 1 || width < 1 || channels < 1)
            throw new ArgumentException($"An image needs a positive shape, not {height}×{width}×{channels}.");
        if (image.Length != (long)height * width * channels)
            throw new ArgumentException($"The image holds {image.Length} floats; {height}×{width}×{channels} needs {(long)height * width * channels}.", nameof(image));
        long weights = (long)geometry.KernelSize * geometry.KernelSize * channels;
        if (filters.Length != weights)
            throw new ArgumentException($"The filters hold {filters.Length} floats; a {geometry.KernelSize}×{geometry.KernelSize} window over {channels} channels needs {weights}.", nameof(filters));
        if (!bias.IsEmpty && bias.Length != channels)
            throw new ArgumentException($"The bias holds {bias.Length} floats; expected one per channel ({channels}) or none.", nameof(bias));
        long convolved = (long)geometry.OutputHeight(height) * geometry.OutputWidth(width) * channels;
        if (output.Length < convolved)
            throw new ArgumentException($"The output holds {output.Length} floats; the convolution of {height}×{width}×{channels} gives {convolved}.", nameof(output));
    }

    /// <summary>The scalar oracle: the textbook loop, one output element at a time, taps in window order after the bias,
    /// a tap in the padding skipped (it adds a zero); output rows <paramref name="firstRow"/> up to <paramref name="endRow"/>.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstRow, int endRow)
    {
        int k = geometry.KernelSize;
        int outWidth = geometry.OutputWidth(width);
        for (int oy = firstRow; oy < endRow; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < channels; c++)
        {
            float sum = bias.IsEmpty ? 0f : bias[c];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            {
                int iy = oy * geometry.Stride - geometry.Pads.Top + ky;
                int ix = ox * geometry.Stride - geometry.Pads.Left + kx;
                if ((uint)iy >= (uint)height || (uint)ix >= (uint)width) continue;
                sum += image[(iy * width + ix) * channels + c] * filters[(ky * k + kx) * channels + c];
            }
            output[(oy * outWidth + ox) * channels + c] = activation.Apply(sum);
        }
    }
}
