using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The SIMD driver of the dense operation, written once for every width (<typeparamref name="TRow"/>).
/// It walks the weight panels and the batch, picks GEMV or the GEMM micro-kernel, and owns both
/// tails: the kernels compute whole panel rows over a fixed number of rows (16 columns, the packed padding
/// zero; a partial last panel on the narrow widths on the fewest 128-bit vectors that hold it), the driver
/// stores a partial panel straight into Y (see <see cref="Run"/>), and it hands the last few rows of a
/// group to a shorter instantiation of the micro-kernel.
/// </summary>
internal static class DenseSimd<TRow> where TRow : struct, IPanelRow<TRow>
{
    private const int Width = PackedMatrix.PanelWidth;

    /// <summary>The same contract as <see cref="DenseKernel.Run(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, Activation, Span{float}, KernelPath)"/>, with the rows of X where <paramref name="rows"/>
    /// says (a multiple of its group); arguments are already validated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> x, int batch, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        Debug.Assert(rows.Inputs == inputs && batch % rows.GroupRows == 0 && y.Length == batch * outputs);
        Debug.Assert(batch == 0 || x.Length > rows.Offset(batch - 1, inputs - 1));
        Debug.Assert(weights.Length == PackedMatrix.PackedLength(inputs, outputs));
        Debug.Assert(bias.IsEmpty || bias.Length == outputs);

        // Padded copies for the partial last panel's bias (and a zero bias when there is none) and its last rows.
        Span<float> paddedBias = stackalloc float[Width];
        Span<float> tile = stackalloc float[GemmMicroKernel.MaxRows * Width];
        // The GEMV reads one contiguous row; a convolution's window is read by the micro-kernel, even alone.
        bool gemm = batch >= DenseKernel.GemmMinBatch || !rows.IsContiguous;

        if (!gemm)
        {
            if (batch == 1 && weights.IsQuantized) RunOneRowInt8(x, weights, inputs, outputs, bias, relu, y, paddedBias, tile);
            else if (batch == 1) RunOneRow(x, in rows, weights, inputs, outputs, bias, relu, y, paddedBias, tile);
            return; // and batch 0 has nothing to do
        }

        // The partial last panel goes first, its rows stored full width straight into Y: the padding lanes run into the
        // next row's first columns, which the rows and panels after it overwrite. Only a block whose last store would
        // pass Y's end goes through the tile. (Copying every row of a 4-column tail out of a tile cost LeNet-5's first
        // convolution more than a second full panel of multiply–adds.)
        for (int n0 = (PackedMatrix.PanelsFor(outputs) - 1) * Width; n0 >= 0; n0 -= Width)
        {
            int columns = Math.Min(Width, outputs - n0);
            ref readonly float panel = ref weights.Panel(n0, inputs);
            ref readonly float panelBias = ref PanelBias(bias, n0, columns, paddedBias);
            if (columns < Width) RunPartialPanel(x, batch, in rows, in panel, in panelBias, inputs, outputs, n0, columns, relu, gemm, y, tile);
            else RunPanel(x, batch, in rows, in panel, in panelBias, inputs, outputs, n0, columns, relu, gemm, y, tile);
        }
    }

    /// <summary>One contiguous row (batch 1 of a dense layer): the GEMV on every panel, in a loop of its own. Run through
    /// the batch loop, whose bookkeeping is per panel, LeNet-300-100's factorized model took 5% longer at batch 1 (2.24
    /// against 2.13 µs).</summary>
    private static void RunOneRow(ReadOnlySpan<float> x, in InputRows rows, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, Span<float> paddedBias, Span<float> tile)
    {
        for (int n0 = 0; n0 < outputs; n0 += Width)
        {
            int columns = Math.Min(Width, outputs - n0);
            ref readonly float panel = ref weights.Panel(n0, inputs);
            ref readonly float panelBias = ref PanelBias(bias, n0, columns, paddedBias);
            if (columns == Width) GemvKernel.Run<TRow>(in x[0], inputs, in panel, in panelBias, relu, ref y[n0]);
            else RunPartialPanel(x, 1, in rows, in panel, in panelBias, inputs, outputs, n0, columns, relu, gemm: false, y, tile);
        }
    }

    /// <summary>One contiguous row against int8 panels: the GEMV on each panel, widening each row in registers as it is read
    /// (<see cref="Int8Rows{TRow}"/>), so the bytes streamed are a quarter of f32's and nothing is written but Y. Widening a
    /// panel into a buffer first, as a batch does, made LeNet-300-100's factorized model 3.5× slower than f32 at batch 1
    /// (JIT, AMD EPYC: 7.96 against 2.28 µs). A partial last panel runs at full width into the tile.</summary>
    private static void RunOneRowInt8(ReadOnlySpan<float> x, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, Span<float> paddedBias, Span<float> tile)
    {
        // typeof comparisons with a struct type argument are constants to the JIT and NativeAOT: no test at run time.
        if (typeof(TRow) == typeof(PanelRow512)) OneRowInt8<PanelRow512>(x, weights, inputs, outputs, bias, relu, y, paddedBias, tile);
        else if (typeof(TRow) == typeof(PanelRow256)) OneRowInt8<PanelRow256>(x, weights, inputs, outputs, bias, relu, y, paddedBias, tile);
        else OneRowInt8<PanelRow128>(x, weights, inputs, outputs, bias, relu, y, paddedBias, tile);
    }

    private static void OneRowInt8<TInt8Row>(ReadOnlySpan<float> x, PanelWeights weights, int inputs, int outputs,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, Span<float> paddedBias, Span<float> tile)
        where TInt8Row : struct, IInt8PanelRow<TInt8Row>
    {
        Span<float> paddedScales = stackalloc float[Width];
        for (int n0 = 0; n0 < outputs; n0 += Width)
        {
            int columns = Math.Min(Width, outputs - n0);
            TInt8Row scales = TInt8Row.Load(in MemoryMarshal.GetReference(weights.PanelScales(n0, paddedScales)));
            ref readonly byte panel = ref Unsafe.As<sbyte, byte>(ref Unsafe.AsRef(in weights.QuantizedPanel(n0, inputs)));
            ref float target = ref columns == Width ? ref y[n0] : ref MemoryMarshal.GetReference(tile);
            GemvKernel.Run<TInt8Row, Int8Rows<TInt8Row>>(in x[0], inputs, in panel, in scales, in PanelBias(bias, n0, columns, paddedBias), relu, ref target);
            if (columns < Width) tile[..columns].CopyTo(y[n0..]);
        }
    }

    /// <summary>A partial last panel on the fewest 128-bit vectors that hold its columns
    /// (<see cref="PanelRow128Prefix{TVectors}"/>) where that saves multiply–adds: up to three of <see cref="PanelRow128"/>'s
    /// four, one of <see cref="PanelRow256"/>'s two 256-bit halves. A 512-bit row is one instruction whatever it holds.</summary>
    private static void RunPartialPanel(ReadOnlySpan<float> x, int batch, in InputRows rows, ref readonly float panel, ref readonly float bias,
        int inputs, int outputs, int n0, int columns, bool relu, bool gemm, Span<float> y, Span<float> tile)
    {
        // typeof comparisons with a struct type argument are constants to the JIT and NativeAOT: no test at run time.
        int vectors = (columns + 3) / 4;
        bool narrower = typeof(TRow) == typeof(PanelRow128) ? vectors < 4 : typeof(TRow) == typeof(PanelRow256) && vectors == 1;
        switch (narrower ? vectors : 0)
        {
            case 1: DenseSimd<PanelRow128Prefix<One>>.RunPanel(x, batch, in rows, in panel, in bias, inputs, outputs, n0, columns, relu, gemm, y, tile); break;
            case 2: DenseSimd<PanelRow128Prefix<Two>>.RunPanel(x, batch, in rows, in panel, in bias, inputs, outputs, n0, columns, relu, gemm, y, tile); break;
            case 3: DenseSimd<PanelRow128Prefix<Three>>.RunPanel(x, batch, in rows, in panel, in bias, inputs, outputs, n0, columns, relu, gemm, y, tile); break;
            default: RunPanel(x, batch, in rows, in panel, in bias, inputs, outputs, n0, columns, relu, gemm, y, tile); break;
        }
    }

    /// <summary>Every row of Y through one panel: the <paramref name="columns"/> of Y from <paramref name="n0"/> on.
    /// Inlined: a call per panel cost LeNet-300-100's factorized model 4% at batch 1 (2.34 against 2.25 µs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunPanel(ReadOnlySpan<float> x, int batch, in InputRows rows, ref readonly float panel, ref readonly float panelBias,
        int inputs, int outputs, int n0, int columns, bool relu, bool gemm, Span<float> y, Span<float> tile)
    {
        bool partial = columns < Width;
        // Panel outermost: one panel (K×64 bytes) stays in cache while every batch row uses it.
        // Blocks are cut at group ends: the micro-kernel's rows must be one stride apart.
        int m = 0, groupStart = 0, inGroup = 0;
        while (m < batch)
        {
            int height = gemm ? Math.Min(TRow.BlockRows, rows.GroupRows - inGroup) : 1;
            bool viaTile = partial && (m + height - 1) * outputs + n0 + Width > y.Length;
            ref float target = ref viaTile ? ref MemoryMarshal.GetReference(tile) : ref y[m * outputs + n0];
            int stride = viaTile ? Width : outputs;
            ref readonly float xm = ref x[groupStart + inGroup * rows.RowStride];
            if (gemm) Block(height, in xm, in rows, in panel, in panelBias, relu, ref target, stride);
            else GemvKernel.Run<TRow>(in xm, inputs, in panel, in panelBias, relu, ref target);

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
    private static void Block(int height, ref readonly float x, in InputRows rows, ref readonly float panel,
        ref readonly float bias, bool relu, ref float y, int stride)
    {
        switch (height)
        {
            case 8: GemmMicroKernel.Run<TRow, Eight>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 7: GemmMicroKernel.Run<TRow, Seven>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 6: GemmMicroKernel.Run<TRow, Six>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 5: GemmMicroKernel.Run<TRow, Five>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 4: GemmMicroKernel.Run<TRow, Four>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 3: GemmMicroKernel.Run<TRow, Three>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            case 2: GemmMicroKernel.Run<TRow, Two>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
            default: GemmMicroKernel.Run<TRow, One>(in x, in rows, in panel, in bias, relu, ref y, stride); break;
        }
    }
}
