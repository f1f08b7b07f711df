using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The vector loop of <see cref="DepthwiseConvKernel"/>: each output, a <see cref="Vector{T}"/> of a pixel's channels,
/// starts from its bias and adds tap by tap the image pixel under the tap times the tap's filter row, both contiguous
/// channel runs of a channels-last layout. One output's taps are a chain of dependent multiply-adds, each waiting out the
/// one before's latency, so the pixels of a row whose windows lie inside the image's columns run <see cref="Block"/> at a
/// time, the channels inner: each filter vector loaded feeds a multiply-add into each of four independent sums, which the
/// CPU overlaps. At stride 1 a 3×3 block's windows share their columns, so a row of its taps loads the six pixels under
/// them once for the twelve multiply-adds (instead of twelve loads). The interior's last block ends at its last pixel,
/// overlapping the one before, whose pixels are computed again the same way. The other pixels (near the left and right
/// edges, or all of them in an image narrower than a block's windows) run one at a time, their window clipped to the image
/// once per pixel (the rows and columns of taps that land inside), so padding costs no test per tap and no bordered copy;
/// a block's rows are clipped the same way. Either way each output is its bias plus its taps inside the image in window
/// order (ky, then kx), the same fused multiply-adds in the same order, so the outputs are bit for bit those of the
/// per-pixel loop this one replaced (DepthwiseConvKernelTests keeps it as the order oracle) and do not depend on how a
/// row splits into blocks. The last vector of a pixel ends at its last channel, overlapping the one before, whose channels
/// are computed again the same way. Needs at least <see cref="Vector{T}.Count"/> channels. Output rows are independent: a
/// part of them can run on each thread.
/// </summary>
internal static class DepthwiseLoop
{
    /// <summary>Adjacent output pixels computed together. Four sums, three filter vectors and the six pixels of a stride-1
    /// 3×3 block's row fit the 16 vector registers of AVX2 (32 on arm64 and with AVX-512). Eight measured no faster at
    /// 112×112 and 56×56, and slower at 14×14, where more of a row runs one pixel at a time.</summary>
    private const int Block = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstOutputRow, int endOutputRow)
    {
        int lanes = Vector<float>.Count;
        int k = geometry.KernelSize, stride = geometry.Stride, padding = geometry.Padding;
        int outWidth = geometry.OutputSize(width);
        // The output columns whose windows lie inside the image's columns: left = ox·stride − padding ≥ 0 and left + k ≤ width.
        int firstInner = (padding + stride - 1) / stride;
        int endInner = width - k + padding < 0 ? 0 : (width - k + padding) / stride + 1;
        ref float source = ref MemoryMarshal.GetReference(image);
        ref float weights = ref MemoryMarshal.GetReference(filters);
        ref float shift = ref MemoryMarshal.GetReference(bias);
        ref float target = ref MemoryMarshal.GetReference(output);
        bool hasBias = !bias.IsEmpty, clamps = activation.Clamps;
        Vector<float> ceiling = new(activation.Ceiling);
        nuint pixelStep = (nuint)channels, blockStep = (nuint)(stride * channels);
        for (int oy = firstOutputRow; oy < endOutputRow; oy++)
        {
            int top = oy * stride - padding;
            int firstRow = Math.Max(0, -top), endRow = Math.Min(k, height - top);
            for (int ox = 0; ox < outWidth;)
            {
                bool inBlock = ox >= firstInner && ox < endInner && endInner - firstInner >= Block;
                // The interior's last block ends at its last pixel, overlapping the one before, whose pixels are computed
                // again the same way.
                if (inBlock) ox = Math.Min(ox, endInner - Block);
                int left = ox * stride - padding;
                nuint result = (nuint)((oy * outWidth + ox) * channels);
                if (inBlock)
                {
                    for (int c = 0; ; c += lanes)
                    {
                        c = Math.Min(c, channels - lanes);
                        Vector<float> sum0 = hasBias ? Vector.LoadUnsafe(ref shift, (nuint)c) : Vector<float>.Zero;
                        Vector<float> sum1 = sum0, sum2 = sum0, sum3 = sum0;
                        for (int ky = firstRow; ky < endRow; ky++)
                        {
                            // The row's first tap, in the image for the block's first pixel, and in the filters.
                            nuint pixel = (nuint)(((top + ky) * width + left) * channels + c);
                            nuint tap = (nuint)(ky * k * channels + c);
                            if (k == 3 && stride == 1)
                            {
                                // MobileNets' stride-1 window: the four windows' taps of a row span six adjacent pixels,
                                // each loaded once for up to three sums.
                                Vector<float> w0 = Vector.LoadUnsafe(ref weights, tap);
                                Vector<float> w1 = Vector.LoadUnsafe(ref weights, tap + pixelStep);
                                Vector<float> w2 = Vector.LoadUnsafe(ref weights, tap + 2 * pixelStep);
                                Vector<float> x0 = Vector.LoadUnsafe(ref source, pixel);
                                Vector<float> x1 = Vector.LoadUnsafe(ref source, pixel + pixelStep);
                                Vector<float> x2 = Vector.LoadUnsafe(ref source, pixel + 2 * pixelStep);
                                Vector<float> x3 = Vector.LoadUnsafe(ref source, pixel + 3 * pixelStep);
                                Vector<float> x4 = Vector.LoadUnsafe(ref source, pixel + 4 * pixelStep);
                                Vector<float> x5 = Vector.LoadUnsafe(ref source, pixel + 5 * pixelStep);
                                sum0 = VectorMath.MultiplyAdd(x2, w2, VectorMath.MultiplyAdd(x1, w1, VectorMath.MultiplyAdd(x0, w0, sum0)));
                                sum1 = VectorMath.MultiplyAdd(x3, w2, VectorMath.MultiplyAdd(x2, w1, VectorMath.MultiplyAdd(x1, w0, sum1)));
                                sum2 = VectorMath.MultiplyAdd(x4, w2, VectorMath.MultiplyAdd(x3, w1, VectorMath.MultiplyAdd(x2, w0, sum2)));
                                sum3 = VectorMath.MultiplyAdd(x5, w2, VectorMath.MultiplyAdd(x4, w1, VectorMath.MultiplyAdd(x3, w0, sum3)));
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++, pixel += pixelStep, tap += pixelStep)
                            {
                                Vector<float> w = Vector.LoadUnsafe(ref weights, tap);
                                sum0 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel), w, sum0);
                                sum1 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + blockStep), w, sum1);
                                sum2 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + 2 * blockStep), w, sum2);
                                sum3 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + 3 * blockStep), w, sum3);
                            }
                        }
                        nuint at = result + (nuint)c;
                        Activated(sum0, clamps, ceiling).StoreUnsafe(ref target, at);
                        Activated(sum1, clamps, ceiling).StoreUnsafe(ref target, at + pixelStep);
                        Activated(sum2, clamps, ceiling).StoreUnsafe(ref target, at + 2 * pixelStep);
                        Activated(sum3, clamps, ceiling).StoreUnsafe(ref target, at + 3 * pixelStep);
                        if (c == channels - lanes) break;
                    }
                    ox += Block;
                    continue;
                }
                int firstColumn = Math.Max(0, -left), endColumn = Math.Min(k, width - left);
                for (int c = 0; ; c += lanes)
                {
                    c = Math.Min(c, channels - lanes);
                    Vector<float> sum = hasBias ? Vector.LoadUnsafe(ref shift, (nuint)c) : Vector<float>.Zero;
                    for (int ky = firstRow; ky < endRow; ky++)
                    {
                        // The row's first tap inside the image, in the image and in the filters.
                        nuint pixel = (nuint)(((top + ky) * width + left + firstColumn) * channels + c);
                        nuint tap = (nuint)((ky * k + firstColumn) * channels + c);
                        for (int kx = firstColumn; kx < endColumn; kx++, pixel += pixelStep, tap += pixelStep)
                            sum = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel), Vector.LoadUnsafe(ref weights, tap), sum);
                    }
                    Activated(sum, clamps, ceiling).StoreUnsafe(ref target, result + (nuint)c);
                    if (c == channels - lanes) break;
                }
                ox++;
            }
        }
    }

    /// <summary>A sum as stored: clamped to [0, ceiling] for ReLU and ReLU6, as it is otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Activated(Vector<float> sum, bool clamps, Vector<float> ceiling) =>
        clamps ? Vector.Min(Vector.Max(sum, Vector<float>.Zero), ceiling) : sum;
}
