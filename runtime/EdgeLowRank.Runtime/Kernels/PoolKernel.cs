using System.Numerics;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Pooling of a channels-last image, one value per window and channel, for any <see cref="IWindowPooling"/>. Channels
/// are contiguous, so the fast path combines whole pixels, a vector of channels at a time (<see cref="PoolLoop{TVector,
/// TLanes, TPooling}"/>): <see cref="Vector512{T}"/> where AVX-512 is and the channels fill one, else <see cref="Vector{T}"/>
/// (4 lanes on arm64, 8 with AVX2) when the channels fill one, else four
/// lanes on x64 (lenet5-1998's six channels: 4.1 µs a 28×28 image before, bench/RESULTS.md). <see cref="Reference(ReadOnlySpan{float}, int, int, int, ConvolutionGeometry, Span{float})"/> is
/// the scalar oracle and the <see cref="KernelPath.Scalar"/> path, and runs images with fewer channels than four. All
/// visit a window in the same order (row by row, starting from its first pixel) and finish it the same way, so they agree
/// bit for bit. The fast paths pool unpadded windows; a padded max pooling runs them over a −∞-bordered copy
/// (<see cref="BorderedImage"/>), while the oracle skips the pixels outside the image.
/// </summary>
internal static class PoolKernel<TPooling> where TPooling : IWindowPooling
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The window has padding, or a span is shorter than the shapes say.</exception>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output)
    {
        Validate(image, height, width, channels, geometry, output);
        RunValidated(image, height, width, channels, geometry, output);
    }

    /// <summary>The same without the checks, for the inference session, which checked the shapes once at load.</summary>
    public static void RunValidated(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        RunValidated(image, height, width, channels, geometry, output, 0, channels);

    /// <summary>Only the channels from <paramref name="firstChannel"/> up to <paramref name="endChannel"/>: one thread's
    /// part of a split pooling. The vector width is chosen by the part's channels; every width gives the same bits.</summary>
    public static void RunValidated(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output,
        int firstChannel, int endChannel)
    {
        int count = endChannel - firstChannel;
        if (count >= Lanes512.Count && Vector512.IsHardwareAccelerated)
            PoolLoop<Vector512<float>, Lanes512, TPooling>.Run(image, height, width, channels, geometry, output, firstChannel, endChannel);
        else if (count >= WideLanes.Count)
            PoolLoop<Vector<float>, WideLanes, TPooling>.Run(image, height, width, channels, geometry, output, firstChannel, endChannel);
        else if (count >= NarrowLanes.Count && Vector128.IsHardwareAccelerated)
            PoolLoop<Vector128<float>, NarrowLanes, TPooling>.Run(image, height, width, channels, geometry, output, firstChannel, endChannel);
        else
            Reference(image, height, width, channels, geometry, output, firstChannel, endChannel);
    }

    private static void Validate(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output)
    {
        if (!geometry.Pads.IsZero)
            throw new ArgumentException($"{TPooling.Name} takes no padding, not {geometry.Pads}.", nameof(geometry));
        if (height < 1 || width < 1 || channels < 1)
            throw new ArgumentException($"An image needs a positive shape, not {height}×{width}×{channels}.");
        if (image.Length != (long)height * width * channels)
            throw new ArgumentException($"The image holds {image.Length} floats; {height}×{width}×{channels} needs {(long)height * width * channels}.", nameof(image));
        long pooled = (long)geometry.OutputHeight(height) * geometry.OutputWidth(width) * channels;
        if (output.Length < pooled)
            throw new ArgumentException($"The output holds {output.Length} floats; pooling {height}×{width}×{channels} gives {pooled}.", nameof(output));
    }

    /// <summary>The scalar oracle: one element at a time, in the fast path's window order; with padding, a window's pixels
    /// outside the image are skipped (and not counted in its area).</summary>
    public static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output) =>
        Reference(image, height, width, channels, geometry, output, 0, channels);

    /// <summary>The scalar oracle for the channels from <paramref name="firstChannel"/> up to <paramref name="endChannel"/>.</summary>
    public static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output,
        int firstChannel, int endChannel)
    {
        int k = geometry.KernelSize, stride = geometry.Stride, top = geometry.Pads.Top, left = geometry.Pads.Left;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = firstChannel; c < endChannel; c++)
        {
            float value = 0;
            int area = 0;
            for (int y = oy * stride - top; y < oy * stride - top + k; y++)
            for (int x = ox * stride - left; x < ox * stride - left + k; x++)
            {
                if (y < 0 || y >= height || x < 0 || x >= width) continue;
                float next = image[(y * width + x) * channels + c];
                value = area++ == 0 ? next : TPooling.Combine(value, next);
            }
            output[(oy * outWidth + ox) * channels + c] = TPooling.Finish(value, area); // each side's padding < k: every window holds a pixel
        }
    }
}
