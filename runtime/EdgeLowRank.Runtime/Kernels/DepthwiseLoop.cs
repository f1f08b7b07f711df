using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The vector loop of <see cref="DepthwiseConvKernel"/>: each output, a <see cref="Vector{T}"/> of a pixel's channels,
/// starts from its bias and adds tap by tap the image pixel under the tap times the tap's filter row, both contiguous
/// channel runs of a channels-last layout. One output's taps are a chain of dependent multiply-adds, each waiting out the
/// one before's latency, so the pixels of a row whose windows lie inside the image's columns (the interior) run
/// <see cref="Block"/> at a time: each filter vector feeds a multiply-add into each of four independent sums, which the CPU
/// overlaps, and is loaded once for the four. The interior's last block ends at its last pixel, overlapping the one before,
/// whose pixels are computed again the same way. A 3×3 row whose windows cover three image rows (all but the edge rows)
/// goes further (<see cref="Interior3x3"/>): the channels outer, the nine filter vectors of a vector of channels stay in
/// registers for the whole row, and at stride 1 the six pixels under a row of a block's taps are each loaded once for up
/// to three sums. Other interior blocks (other windows, the edge rows) loop over the channels inside the block, a
/// window's rows clipped to the image once per block. The other pixels (near the left and right edges, or all of them in
/// an image narrower than a block's windows) run one at a time, their window clipped to the image once per pixel (the
/// rows and columns of taps that land inside), so padding costs no test per tap and no bordered copy. Either way each
/// output is its bias plus its taps inside the image in window order (ky, then kx), the same fused multiply-adds in the
/// same order, so the outputs are bit for bit those of the per-pixel loop this one replaced (DepthwiseConvKernelTests
/// keeps it as the order oracle) and do not depend on which path ran a pixel. The last vector of a pixel ends at its last
/// channel, overlapping the one before, whose channels are computed again the same way. Needs at least
/// <see cref="Vector{T}.Count"/> channels. Output rows are independent: a part of them can run on each thread.
/// </summary>
internal static class DepthwiseLoop
{
    /// <summary>Adjacent output pixels computed together. Eight (in the channels-inner block, before the 3×3 rows kept their
    /// filters in registers) measured no faster at 112×112 and 56×56, and slower at 14×14, where more of a row is left to
    /// the one-pixel path. Four sums, nine filter vectors and the bias fit the 32 vector registers of AVX-512 and arm64; AVX2
    /// has 16.</summary>
    private const int Block = 4;

    /// <summary>The interior of a 3×3 row runs in chunks of this many pixels, every vector of channels of a chunk before the
    /// next chunk: the image lines a chunk's vector of channels touched are then still in the level-1 cache when the next
    /// vector of channels comes by (often for the other half of the same 64-byte lines). The whole row at once measured
    /// 27–37% slower at 112×112×32 and 112×112×96 (stride 2), chunks of 16 pixels 1–9% slower (bench/RESULTS.md).</summary>
    private const int Chunk = 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstOutputRow, int endOutputRow)
    {
        int lanes = Vector<float>.Count;
        int k = geometry.KernelSize, stride = geometry.Stride, padTop = geometry.Pads.Top, padLeft = geometry.Pads.Left;
        int outWidth = geometry.OutputWidth(width);
        // The output columns whose windows lie inside the image's columns: left = ox·stride − padLeft ≥ 0 and left + k ≤ width.
        int firstInner = (padLeft + stride - 1) / stride;
        int endInner = width - k + padLeft < 0 ? 0 : (width - k + padLeft) / stride + 1;
        ref float source = ref MemoryMarshal.GetReference(image);
        ref float weights = ref MemoryMarshal.GetReference(filters);
        ref float shift = ref MemoryMarshal.GetReference(bias);
        ref float target = ref MemoryMarshal.GetReference(output);
        bool hasBias = !bias.IsEmpty;
        Vector<float> ceiling = new(activation.Ceiling);
        nuint pixelStep = (nuint)channels, blockStep = (nuint)(stride * channels);
        for (int oy = firstOutputRow; oy < endOutputRow; oy++)
        {
            int top = oy * stride - padTop;
            int firstRow = Math.Max(0, -top), endRow = Math.Min(k, height - top);
            for (int ox = 0; ox < outWidth;)
            {
                if (ox == firstInner && k == 3 && firstRow == 0 && endRow == 3 && endInner - firstInner >= Block)
                {
                    Interior3x3(ref source, width, channels, stride, ref weights, ref shift, hasBias, activation, ceiling, ref target,
                        (nuint)((top * width + ox * stride - padLeft) * channels), (nuint)((oy * outWidth + ox) * channels), endInner - firstInner);
                    ox = endInner;
                    continue;
                }
                bool inBlock = ox >= firstInner && ox < endInner && endInner - firstInner >= Block;
                // The interior's last block ends at its last pixel, overlapping the one before, whose pixels are computed
                // again the same way.
                if (inBlock) ox = Math.Min(ox, endInner - Block);
                int left = ox * stride - padLeft;
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
                            for (int kx = 0; kx < k; kx++, pixel += pixelStep, tap += pixelStep)
                                Tap(ref source, pixel, blockStep, Vector.LoadUnsafe(ref weights, tap), ref sum0, ref sum1, ref sum2, ref sum3);
                        }
                        nuint at = result + (nuint)c;
                        Activated(sum0, activation, ceiling).StoreUnsafe(ref target, at);
                        Activated(sum1, activation, ceiling).StoreUnsafe(ref target, at + pixelStep);
                        Activated(sum2, activation, ceiling).StoreUnsafe(ref target, at + 2 * pixelStep);
                        Activated(sum3, activation, ceiling).StoreUnsafe(ref target, at + 3 * pixelStep);
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
                    Activated(sum, activation, ceiling).StoreUnsafe(ref target, result + (nuint)c);
                    if (c == channels - lanes) break;
                }
                ox++;
            }
        }
    }

    /// <summary>The interior of an output row of a 3×3 convolution whose windows cover three image rows: per vector of
    /// channels, its nine filter vectors loaded once into registers for the whole row, then <see cref="Block"/> pixels at a
    /// time (the last block ending at the row's last interior pixel), each output its bias plus its nine taps in window
    /// order. <paramref name="firstPixel"/> is the first window's top-left pixel, <paramref name="firstResult"/> the first
    /// output pixel, both as float offsets at channel 0.</summary>
    private static void Interior3x3(ref float source, int width, int channels, int stride, ref float weights, ref float shift, bool hasBias, FusedActivation activation,
        Vector<float> ceiling, ref float target, nuint firstPixel, nuint firstResult, int pixels)
    {
        int lanes = Vector<float>.Count;
        nuint pixelStep = (nuint)channels, rowStep = (nuint)(width * channels), blockStep = (nuint)(stride * channels);
        for (int first = 0; ; first += Chunk)
        {
            // A last chunk narrower than a block starts a block before its end, overlapping the chunk before.
            int end = Math.Min(first + Chunk, pixels);
            first = Math.Min(first, end - Block);
            for (int c = 0; ; c += lanes)
            {
                c = Math.Min(c, channels - lanes);
                Vector<float> start = hasBias ? Vector.LoadUnsafe(ref shift, (nuint)c) : Vector<float>.Zero;
                ref float tap = ref Unsafe.Add(ref weights, c);
                Vector<float> w00 = Vector.LoadUnsafe(ref tap), w01 = Vector.LoadUnsafe(ref tap, pixelStep), w02 = Vector.LoadUnsafe(ref tap, 2 * pixelStep);
                Vector<float> w10 = Vector.LoadUnsafe(ref tap, 3 * pixelStep), w11 = Vector.LoadUnsafe(ref tap, 4 * pixelStep), w12 = Vector.LoadUnsafe(ref tap, 5 * pixelStep);
                Vector<float> w20 = Vector.LoadUnsafe(ref tap, 6 * pixelStep), w21 = Vector.LoadUnsafe(ref tap, 7 * pixelStep), w22 = Vector.LoadUnsafe(ref tap, 8 * pixelStep);
                for (int x = first; ; x += Block)
                {
                    x = Math.Min(x, end - Block);
                    nuint pixel = firstPixel + (nuint)x * blockStep + (nuint)c;
                    Vector<float> sum0 = start, sum1 = start, sum2 = start, sum3 = start;
                    if (stride == 1)
                    {
                        Row3(ref source, pixel, pixelStep, w00, w01, w02, ref sum0, ref sum1, ref sum2, ref sum3);
                        Row3(ref source, pixel + rowStep, pixelStep, w10, w11, w12, ref sum0, ref sum1, ref sum2, ref sum3);
                        Row3(ref source, pixel + 2 * rowStep, pixelStep, w20, w21, w22, ref sum0, ref sum1, ref sum2, ref sum3);
                    }
                    else
                    {
                        Tap(ref source, pixel, blockStep, w00, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + pixelStep, blockStep, w01, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + 2 * pixelStep, blockStep, w02, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + rowStep, blockStep, w10, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + rowStep + pixelStep, blockStep, w11, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + rowStep + 2 * pixelStep, blockStep, w12, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + 2 * rowStep, blockStep, w20, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + 2 * rowStep + pixelStep, blockStep, w21, ref sum0, ref sum1, ref sum2, ref sum3);
                        Tap(ref source, pixel + 2 * rowStep + 2 * pixelStep, blockStep, w22, ref sum0, ref sum1, ref sum2, ref sum3);
                    }
                    nuint at = firstResult + (nuint)x * pixelStep + (nuint)c;
                    Activated(sum0, activation, ceiling).StoreUnsafe(ref target, at);
                    Activated(sum1, activation, ceiling).StoreUnsafe(ref target, at + pixelStep);
                    Activated(sum2, activation, ceiling).StoreUnsafe(ref target, at + 2 * pixelStep);
                    Activated(sum3, activation, ceiling).StoreUnsafe(ref target, at + 3 * pixelStep);
                    if (x == end - Block) break;
                }
                if (c == channels - lanes) break;
            }
            if (end == pixels) break;
        }
    }

    /// <summary>A row of taps of a stride-1 3×3 block: its four windows span six adjacent pixels, each loaded once for up to
    /// three sums (six loads instead of twelve), each sum's taps in window order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row3(ref float source, nuint pixel, nuint pixelStep, Vector<float> w0, Vector<float> w1, Vector<float> w2,
        ref Vector<float> sum0, ref Vector<float> sum1, ref Vector<float> sum2, ref Vector<float> sum3)
    {
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
    }

    /// <summary>One tap of a block: the four pixels under it (a stride apart) times its filter vector, into each pixel's sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tap(ref float source, nuint pixel, nuint blockStep, Vector<float> w,
        ref Vector<float> sum0, ref Vector<float> sum1, ref Vector<float> sum2, ref Vector<float> sum3)
    {
        sum0 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel), w, sum0);
        sum1 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + blockStep), w, sum1);
        sum2 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + 2 * blockStep), w, sum2);
        sum3 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel + 3 * blockStep), w, sum3);
    }

    /// <summary>A sum as stored: clamped to [0, ceiling] for ReLU and ReLU6, through the hard swish for it, as it is
    /// otherwise. <see cref="ChannelAffineKernel"/> stores its outputs the same way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Activated(Vector<float> sum, FusedActivation activation, Vector<float> ceiling) =>
        activation.Clamps ? Vector.Min(Vector.Max(sum, Vector<float>.Zero), ceiling)
        : activation.HardSwishes ? HardSwishKernel.Of(sum)
        : sum;
}
