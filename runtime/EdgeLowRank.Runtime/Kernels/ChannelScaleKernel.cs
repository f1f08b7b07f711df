using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Squeeze-and-excitation's scaling (format 1.9): row by row (a pixel of a channels-last image, or a vector), every channel
/// times its sample's scale for it. A product rounds once whatever the path, so <see cref="Run"/> (a
/// <see cref="Vector{T}"/> of channels at a time, the row's last vector overlapping the one before it) and
/// <see cref="Reference"/> (one element at a time, the <see cref="KernelPath.Scalar"/> path and the oracle) give the same bits.
/// </summary>
internal static class ChannelScaleKernel
{
    /// <summary>y[s, p, k] = image[s, p, k]·scales[s, k] for every sample s of <paramref name="scales"/>' rows of
    /// <paramref name="channels"/>, every row p of its image and every channel k. <paramref name="y"/> must not overlap
    /// <paramref name="image"/> or <paramref name="scales"/> (the last vector of a row rereads channels already written).</summary>
    /// <exception cref="ArgumentException">The spans' lengths are not whole rows of the same samples.</exception>
    public static void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> scales, int channels, Span<float> y)
    {
        int rowsPerSample = CheckLengths(image, scales, channels, y);
        int lanes = Vector<float>.Count;
        if (channels < lanes)
        {
            Reference(image, scales, channels, y);
            return;
        }
        ref float input = ref MemoryMarshal.GetReference(image);
        ref float output = ref MemoryMarshal.GetReference(y);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        int samples = scales.Length / channels, row = 0;
        for (int s = 0; s < samples; s++)
        {
            nuint first = (nuint)(s * channels);
            for (int r = 0; r < rowsPerSample; r++, row++)
            {
                nuint at = (nuint)row * (nuint)channels;
                for (int k = 0; ; k += lanes)
                {
                    if (k > channels - lanes) k = channels - lanes; // the last vector ends at the row's end
                    Vector<float> product = Vector.LoadUnsafe(ref input, at + (nuint)k) * Vector.LoadUnsafe(ref scale, first + (nuint)k);
                    product.StoreUnsafe(ref output, at + (nuint)k);
                    if (k == channels - lanes) break;
                }
            }
        }
    }

    /// <summary>The same, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> image, ReadOnlySpan<float> scales, int channels, Span<float> y)
    {
        int rowsPerSample = CheckLengths(image, scales, channels, y);
        for (int i = 0; i < image.Length; i++)
            y[i] = image[i] * scales[i / (rowsPerSample * channels) * channels + i % channels];
    }

    /// <summary>The rows of <paramref name="channels"/> each sample's image holds, after checking that the spans are whole
    /// rows of the same samples.</summary>
    private static int CheckLengths(ReadOnlySpan<float> image, ReadOnlySpan<float> scales, int channels, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int samples = scales.Length / channels;
        if (scales.Length != (long)samples * channels || samples == 0 || image.Length % scales.Length != 0 || y.Length != image.Length)
            throw new ArgumentException($"A ChannelScale of rows of {channels} channels takes one row of scales per sample and whole images of such rows: the scales hold {scales.Length} floats, the images {image.Length}, y {y.Length}.");
        return image.Length / scales.Length;
    }
}
