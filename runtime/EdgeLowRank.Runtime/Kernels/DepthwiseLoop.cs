using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The vector loop of <see cref="DepthwiseConvKernel"/>: per output pixel, the channels a <see cref="Vector{T}"/> at a time,
/// each starting from its bias and adding tap by tap the image pixel under the tap times the tap's filter row, both
/// contiguous channel runs of a channels-last layout. A window is clipped to the image once per pixel (the rows and
/// columns of taps that land inside), so padding costs no test per tap and no bordered copy. The last vector of a pixel
/// ends at its last channel, overlapping the one before, whose channels are computed again the same way. Needs at least
/// <see cref="Vector{T}.Count"/> channels. Output rows are independent: a part of them can run on each thread.
/// </summary>
internal static class DepthwiseLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstOutputRow, int endOutputRow)
    {
        int lanes = Vector<float>.Count;
        int k = geometry.KernelSize, stride = geometry.Stride, padding = geometry.Padding;
        int outWidth = geometry.OutputSize(width);
        ref float source = ref MemoryMarshal.GetReference(image);
        ref float weights = ref MemoryMarshal.GetReference(filters);
        ref float shift = ref MemoryMarshal.GetReference(bias);
        ref float target = ref MemoryMarshal.GetReference(output);
        bool hasBias = !bias.IsEmpty, clamps = activation.Clamps;
        Vector<float> ceiling = new(activation.Ceiling);
        for (int oy = firstOutputRow; oy < endOutputRow; oy++)
        {
            int top = oy * stride - padding;
            int firstRow = Math.Max(0, -top), endRow = Math.Min(k, height - top);
            for (int ox = 0; ox < outWidth; ox++)
            {
                int left = ox * stride - padding;
                int firstColumn = Math.Max(0, -left), endColumn = Math.Min(k, width - left);
                nuint result = (nuint)((oy * outWidth + ox) * channels);
                for (int c = 0; ; c += lanes)
                {
                    c = Math.Min(c, channels - lanes);
                    Vector<float> sum = hasBias ? Vector.LoadUnsafe(ref shift, (nuint)c) : Vector<float>.Zero;
                    for (int ky = firstRow; ky < endRow; ky++)
                    {
                        // The row's first tap inside the image, in the image and in the filters.
                        nuint pixel = (nuint)(((top + ky) * width + left + firstColumn) * channels + c);
                        nuint tap = (nuint)((ky * k + firstColumn) * channels + c);
                        for (int kx = firstColumn; kx < endColumn; kx++, pixel += (nuint)channels, tap += (nuint)channels)
                            sum = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel), Vector.LoadUnsafe(ref weights, tap), sum);
                    }
                    (clamps ? Vector.Min(Vector.Max(sum, Vector<float>.Zero), ceiling) : sum).StoreUnsafe(ref target, result + (nuint)c);
                    if (c == channels - lanes) break;
                }
            }
        }
    }
}
