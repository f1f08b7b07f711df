using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The SIMD driver of the dense operation, written once for every width (<typeparamref name="TRow"/>) and for f32 and int8
/// weights (<typeparamref name="TSource"/>). It walks the weight panels and the batch, picks GEMV or the GEMM micro-kernel, and owns both
/// tails: the kernels compute whole panel rows over a fixed number of rows (16 columns, the packed padding
/// zero; a partial last panel on the narrow widths on the fewest 128-bit vectors that hold it), the driver
/// stores a partial panel straight into Y (see <see cref="Run"/>), and it hands the last few rows of a
/// group to a shorter instantiation of the micro-kernel.
/// </summary>
internal static class DenseSimd<TRow, TSource>
    where TRow : struct, IPanelRow<TRow>
    where TSource : struct, IPanelRows<TRow>
{
    private const int Width = PackedMatrix.PanelWidth;

    /// <summary>The same contract as <see cref="DenseKernel.Run(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, Activation, Span{float}, KernelPath)"/>, with the rows of X where <paramref name="rows"/>
    /// says (a multiple of its group), for the output panels of <paramref name="share"/>; arguments are already validated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, PanelShare share)
    {
        Debug.Assert(rows.Inputs == inputs && batch % rows.GroupRows == 0 && y.Length == batch * outputs);
        Debug.Assert(batch == 0 || x.Length > rows.Offset(batch - 1, inputs - 1));
        Debug.Assert(weights.Length == PackedMatrix.PackedLength(inputs, outputs) && weights.IsQuantized == TSource.IsInt8);
        Debug.Assert(bias.IsEmpty || bias.Length == outputs);

        // Padded copies for the partial last panel's bias (and a zero bias when there is none), its scales and its last rows.
        Span<float> paddedBias = stackalloc float[Width], paddedScales = stackalloc float[Width];
        Span<float> tile = stackalloc float[GemmMicroKernel.MaxRows * Width];
        // The GEMV reads one contiguous row; a convolution's window is read by the micro-kernel, even alone.
        bool gemm = batch >= DenseKernel.GemmMinBatch || !rows.IsContiguous;
        share.Panels(outputs, out int firstFull, out int endFull, out bool partial);

        if (!gemm)
        {
            if (batch == 1) RunOneRow(x, in rows, weights, inputs, outputs, bias, activation, y, firstFull, endFull, partial, paddedBias, paddedScales, tile);
            return; // and batch 0 has nothing to do
        }

        // With a short reduction, where a block stores a row of Y every few multiply–adds, a long batch runs in chunks of
        // rows, each chunk through every panel, rather than every row through one panel after another: the outputs are
        // written row after row rather than 64 bytes of each row per pass over Y, and the inputs are read once. SqueezeNet's
        // first convolution (K = 27, a 3.15 MB output) took 510 rather than 593 µs; chunked too, its 3×3 convolutions
        // (K = 144 and 288), which the multiply–adds bound, measured no faster (bench/RESULTS.md, 2026-12-06).
        int panels = endFull - firstFull + (partial ? 1 : 0);
        int chunk = panels > 1 && inputs <= ChunkedInputs ? ChunkRows(batch, rows) : batch;
        for (int m0 = 0, count; m0 < batch; m0 += count)
        {
            count = Math.Min(chunk, batch - m0);
            // A chunk is whole groups, or part of a batch's one group, which is then a group of its own.
            InputRows chunkRows = rows.GroupRows == batch ? rows with { GroupRows = count } : rows;
            RunPanels(x[rows.RowStart(m0)..], count, in chunkRows, weights, inputs, outputs, bias, activation, y.Slice(m0 * outputs, count * outputs),
                firstFull, endFull, partial, paddedBias, paddedScales, tile);
        }
    }

    /// <summary>The longest reduction (K) that runs chunk by chunk: each panel is then at most 4 KB (64 rows of 64 bytes), so a
    /// layer's panels stay in cache while a chunk's rows stream through them.</summary>
    private const int ChunkedInputs = 64;

    /// <summary>The rows of a chunk: about 64 (eight blocks of eight), in whole groups.</summary>
    private static int ChunkRows(int batch, in InputRows rows)
    {
        const int Target = 64;
        return rows.GroupRows == batch ? Target : rows.GroupRows * Math.Max(1, Target / rows.GroupRows);
    }

    /// <summary>Every row of Y through the panels of this part.</summary>
    private static void RunPanels(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, int firstFull, int endFull, bool partial,
        Span<float> paddedBias, Span<float> paddedScales, Span<float> tile)
    {
        // The partial last panel goes first, its rows stored full width straight into Y: the padding lanes run into the
        // next row's first columns, which the rows and panels after it overwrite. Only a block whose last store would
        // pass Y's end goes through the tile. (Copying every row of a 4-column tail out of a tile cost LeNet-5's first
        // convolution more than a second full panel of multiply–adds.)
        if (partial) RunLastPanel(x, batch, in rows, weights, inputs, outputs, bias, activation, gemm: true, y, paddedBias, paddedScales, tile);
        for (int n0 = (endFull - 1) * Width; n0 >= firstFull * Width; n0 -= Width)
        {
            ref readonly byte panel = ref weights.Panel(n0, inputs);
            ref readonly float scales = ref weights.PanelScales(n0, paddedScales);
            ref readonly float panelBias = ref PanelBias(bias, n0, Width, paddedBias);
            RunPanel(x, batch, in rows, in panel, in scales, in panelBias, inputs, outputs, n0, Width, activation, gemm: true, y, tile);
        }
    }

    /// <summary>One contiguous row (batch 1 of a dense layer): the GEMV on every panel, in a loop of its own. Run through
    /// the batch loop, whose bookkeeping is per panel, LeNet-300-100's factorized model took 5% longer at batch 1 (2.24
    /// against 2.13 µs).</summary>
    private static void RunOneRow(ReadOnlySpan<float> x, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y, int firstFull, int endFull, bool partial,
        Span<float> paddedBias, Span<float> paddedScales, Span<float> tile)
    {
        for (int n0 = firstFull * Width; n0 < endFull * Width; n0 += Width)
        {
            ref readonly byte panel = ref weights.Panel(n0, inputs);
            ref readonly float scales = ref weights.PanelScales(n0, paddedScales);
            ref readonly float panelBias = ref PanelBias(bias, n0, Width, paddedBias);
            GemvKernel.Run<TRow, TSource>(in x[0], inputs, in panel, in scales, in panelBias, activation, ref y[n0]);
        }
        if (partial) RunLastPanel(x, 1, in rows, weights, inputs, outputs, bias, activation, gemm: false, y, paddedBias, paddedScales, tile);
    }

    /// <summary>Every row of Y through the partial last panel, its bias and int8 scales padded to 16.</summary>
    private static void RunLastPanel(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, FusedActivation activation, bool gemm, Span<float> y, Span<float> paddedBias, Span<float> paddedScales, Span<float> tile)
    {
        int n0 = outputs / Width * Width, columns = outputs - n0;
        ref readonly byte panel = ref weights.Panel(n0, inputs);
        ref readonly float scales = ref weights.PanelScales(n0, paddedScales);
        ref readonly float panelBias = ref PanelBias(bias, n0, columns, paddedBias);
        RunPartialPanel(x, batch, in rows, in panel, in scales, in panelBias, inputs, outputs, n0, columns, activation, gemm, y, tile);
    }

    /// <summary>A partial last panel on the fewest 128-bit vectors that hold its columns
    /// (<see cref="PanelRow128Prefix{TVectors}"/>) where that saves multiply–adds: up to three of <see cref="PanelRow128"/>'s
    /// four, one of <see cref="PanelRow256"/>'s two 256-bit halves. A 512-bit row is one instruction whatever it holds.</summary>
    private static void RunPartialPanel(ReadOnlySpan<float> x, int batch, in InputRows rows, ref readonly byte panel, ref readonly float scales,
        ref readonly float bias, int inputs, int outputs, int n0, int columns, FusedActivation activation, bool gemm, Span<float> y, Span<float> tile)
    {
        // typeof comparisons with a struct type argument are constants to the JIT and NativeAOT: no test at run time.
        int vectors = (columns + 3) / 4;
        bool narrower = typeof(TRow) == typeof(PanelRow128) ? vectors < 4 : typeof(TRow) == typeof(PanelRow256) && vectors == 1;
        switch (narrower ? vectors : 0)
        {
            case 1: Narrower<One>(x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile); break;
            case 2: Narrower<Two>(x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile); break;
            case 3: Narrower<Three>(x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile); break;
            default: RunPanel(x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile); break;
        }
    }

    /// <summary>The panel on the first <typeparamref name="TVectors"/> 128-bit vectors, read from the same kind of weights.</summary>
    private static void Narrower<TVectors>(ReadOnlySpan<float> x, int batch, in InputRows rows, ref readonly byte panel, ref readonly float scales,
        ref readonly float bias, int inputs, int outputs, int n0, int columns, FusedActivation activation, bool gemm, Span<float> y, Span<float> tile)
        where TVectors : struct, ICount
    {
        if (TSource.IsInt8)
            DenseSimd<PanelRow128Prefix<TVectors>, Int8Rows<PanelRow128Prefix<TVectors>>>.RunPanel(
                x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile);
        else
            DenseSimd<PanelRow128Prefix<TVectors>, Float32Rows<PanelRow128Prefix<TVectors>>>.RunPanel(
                x, batch, in rows, in panel, in scales, in bias, inputs, outputs, n0, columns, activation, gemm, y, tile);
    }

    /// <summary>Every row of Y through one panel: the <paramref name="columns"/> of Y from <paramref name="n0"/> on.
    /// Inlined: a call per panel cost LeNet-300-100's factorized model 4% at batch 1 (2.34 against 2.25 µs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunPanel(ReadOnlySpan<float> x, int batch, in InputRows rows, ref readonly byte panel, ref readonly float scales,
        ref readonly float panelBias, int inputs, int outputs, int n0, int columns, FusedActivation activation, bool gemm, Span<float> y, Span<float> tile)
    {
        bool partial = columns < Width;
        // Panel outermost: one panel (K×64 bytes, K×16 for int8) stays in cache while every batch row uses it.
        // Blocks are cut at group ends: the micro-kernel's rows must be one stride apart.
        int m = 0, groupStart = 0, inGroup = 0;
        while (m < batch)
        {
            int height = gemm ? Math.Min(TRow.BlockRows, rows.GroupRows - inGroup) : 1;
            bool viaTile = partial && (m + height - 1) * outputs + n0 + Width > y.Length;
            ref float target = ref viaTile ? ref MemoryMarshal.GetReference(tile) : ref y[m * outputs + n0];
            int stride = viaTile ? Width : outputs;
            ref readonly float xm = ref x[groupStart + inGroup * rows.RowStride];
            if (gemm) Block(height, in xm, in rows, in panel, in scales, in panelBias, activation, ref target, stride);
            else GemvKernel.Run<TRow, TSource>(in xm, inputs, in panel, in scales, in panelBias, activation, ref target);

            if (viaTile)
                for (int r = 0; r < height; r++)
                    tile.Slice(r * Width, columns).CopyTo(y.Slice((m + r) * outputs + n0, columns));
            m += height;
            inGroup += height;
            if (inGroup == rows.GroupRows)
            {
                inGroup = 0;
                groupStart += rows.GroupStride;
            }
        }
    }

    /// <summary>The 16 biases of the panel at <paramref name="n0"/>: in place when the panel is full,
    /// else copied zero-padded into <paramref name="padded"/>.</summary>
    private static ref readonly float PanelBias(ReadOnlySpan<float> bias, int n0, int columns, Span<float> padded)
    {
        if (!bias.IsEmpty && columns == Width) return ref bias[n0];
        padded.Clear();
        if (!bias.IsEmpty) bias.Slice(n0, columns).CopyTo(padded);
        return ref MemoryMarshal.GetReference(padded);
    }

    /// <summary>The M-tail, once: a block of <paramref name="height"/> rows goes to the micro-kernel compiled for that height.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(int height, ref readonly float x, in InputRows rows, ref readonly byte panel, ref readonly float scales,
        ref readonly float bias, FusedActivation activation, ref float y, int stride)
    {
        switch (height)
        {
            case 8: GemmMicroKernel.Run<TRow, TSource, Eight>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 7: GemmMicroKernel.Run<TRow, TSource, Seven>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 6: GemmMicroKernel.Run<TRow, TSource, Six>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 5: GemmMicroKernel.Run<TRow, TSource, Five>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 4: GemmMicroKernel.Run<TRow, TSource, Four>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 3: GemmMicroKernel.Run<TRow, TSource, Three>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            case 2: GemmMicroKernel.Run<TRow, TSource, Two>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
            default: GemmMicroKernel.Run<TRow, TSource, One>(in x, in rows, in panel, in scales, in bias, activation, ref y, stride); break;
        }
    }
}
