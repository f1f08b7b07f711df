using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The register-blocked GEMM step for batches: up to <see cref="MaxRows"/> batch rows × one
/// 16-column weight panel, all accumulators in registers for the whole reduction. Each panel row is
/// loaded once and used by every batch row (6 × 2 = 12 Vector256 accumulators on AVX2, 6 × 4 = 24
/// Vector128 accumulators on AdvSimd's 32 registers, 8 × 1 Vector512 accumulators on AVX-512), which is
/// what lifts it from memory-bound to FMA-bound. An int8 panel row is widened once per step and used by every row too;
/// the block heights were measured on f32 panels, whose rows need no widening registers.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>The tallest block any width uses (see <see cref="IPanelRow{TSelf}.BlockRows"/>).</summary>
    public const int MaxRows = 8;

    /// <summary>
    /// Y[r, 0..16) = act(bias + Σ_k X[r, k]·panel[k, 0..16)) for r &lt; <typeparamref name="TRows"/>.
    /// </summary>
    /// <param name="x">X[0, 0] of the block.</param>
    /// <param name="rows">How the block's rows lie from there: <see cref="InputRows.RowStride"/> apart, each read as
    /// <see cref="InputRows.Segments"/> runs (a dense layer's row is one run; a convolution's window is k). The block never spans two groups.</param>
    /// <param name="panel">The panel: K rows of 16 elements, read as <typeparamref name="TSource"/> says.</param>
    /// <param name="scales">An int8 panel's 16 column scales (not read for f32).</param>
    /// <param name="bias">16 floats (zeros when the layer has no bias).</param>
    /// <param name="activation">The activation fused into the store.</param>
    /// <param name="y">Y[0, 0] of the block; rows are <paramref name="yStride"/> apart, each a whole panel row
    /// (<see cref="IPanelRow{TSelf}.Store"/>'s width) long.</param>
    /// <param name="yStride">The distance between output rows. It may be shorter than a stored row: the driver stores a
    /// partial panel straight into Y, and relies on the rows being stored in ascending order, each spilling padding into the
    /// next row's first columns before that row is stored.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRow, TSource, TRows>(ref readonly float x, in InputRows rows, ref readonly byte panel, ref readonly float scales,
        ref readonly float bias, FusedActivation activation, ref float y, int yStride)
        where TRow : struct, IPanelRow<TRow>
        where TSource : struct, IPanelRows<TRow>
        where TRows : struct, ICount
    {
        int height = TRows.Value;
        int stride = rows.RowStride, runLength = rows.SegmentLength, runStride = rows.SegmentStride;
        Debug.Assert(height is >= 1 and <= MaxRows && rows.Inputs >= 1 && yStride >= 1);

        // Row r's input, clamped to the last real row so no reference points past the block.
        ref float x0 = ref Unsafe.AsRef(in x);
        ref float x1 = ref Unsafe.Add(ref x0, Math.Min(1, height - 1) * stride);
        ref float x2 = ref Unsafe.Add(ref x0, Math.Min(2, height - 1) * stride);
        ref float x3 = ref Unsafe.Add(ref x0, Math.Min(3, height - 1) * stride);
        ref float x4 = ref Unsafe.Add(ref x0, Math.Min(4, height - 1) * stride);
        ref float x5 = ref Unsafe.Add(ref x0, Math.Min(5, height - 1) * stride);
        ref float x6 = ref Unsafe.Add(ref x0, Math.Min(6, height - 1) * stride);
        ref float x7 = ref Unsafe.Add(ref x0, Math.Min(7, height - 1) * stride);

        TRow c0 = TRow.Zero, c1 = TRow.Zero, c2 = TRow.Zero, c3 = TRow.Zero, c4 = TRow.Zero, c5 = TRow.Zero;
        TRow c6 = TRow.Zero, c7 = TRow.Zero;
        ref byte w = ref Unsafe.AsRef(in panel);
        // The panel's K rows are read in order, the inputs run by run: run j of every row starts j·runStride on.
        for (int start = 0, end = rows.Segments * runStride; start < end; start += runStride)
        {
            for (int k = start, stop = start + runLength; k < stop; k++)
            {
                TRow row = TSource.Load(ref w);
                TRow.MultiplyAdd(Unsafe.Add(ref x0, k), in row, ref c0);
                if (height > 1) TRow.MultiplyAdd(Unsafe.Add(ref x1, k), in row, ref c1);
                if (height > 2) TRow.MultiplyAdd(Unsafe.Add(ref x2, k), in row, ref c2);
                if (height > 3) TRow.MultiplyAdd(Unsafe.Add(ref x3, k), in row, ref c3);
                if (height > 4) TRow.MultiplyAdd(Unsafe.Add(ref x4, k), in row, ref c4);
                if (height > 5) TRow.MultiplyAdd(Unsafe.Add(ref x5, k), in row, ref c5);
                if (height > 6) TRow.MultiplyAdd(Unsafe.Add(ref x6, k), in row, ref c6);
                if (height > 7) TRow.MultiplyAdd(Unsafe.Add(ref x7, k), in row, ref c7);
                w = ref Unsafe.Add(ref w, TSource.RowBytes);
            }
        }

        // Loaded after the loop, where no register is spare; IsInt8 is a constant to the JIT. In ascending row order: see yStride.
        TRow scale = TSource.IsInt8 ? TRow.Load(in scales) : TRow.Zero;
        TRow.Store(TSource.Finish(c0, in scale), in bias, activation, ref y);
        if (height > 1) TRow.Store(TSource.Finish(c1, in scale), in bias, activation, ref Unsafe.Add(ref y, yStride));
        if (height > 2) TRow.Store(TSource.Finish(c2, in scale), in bias, activation, ref Unsafe.Add(ref y, 2 * yStride));
        if (height > 3) TRow.Store(TSource.Finish(c3, in scale), in bias, activation, ref Unsafe.Add(ref y, 3 * yStride));
        if (height > 4) TRow.Store(TSource.Finish(c4, in scale), in bias, activation, ref Unsafe.Add(ref y, 4 * yStride));
        if (height > 5) TRow.Store(TSource.Finish(c5, in scale), in bias, activation, ref Unsafe.Add(ref y, 5 * yStride));
        if (height > 6) TRow.Store(TSource.Finish(c6, in scale), in bias, activation, ref Unsafe.Add(ref y, 6 * yStride));
        if (height > 7) TRow.Store(TSource.Finish(c7, in scale), in bias, activation, ref Unsafe.Add(ref y, 7 * yStride));
    }
}
