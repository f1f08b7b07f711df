using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The dense operation in integer arithmetic (a layer with <see cref="InputQuantization.Dynamic"/>): each row of X quantized
/// to uint8 with a scale and zero point of its own (<see cref="DynamicQuantization"/>), multiplied by the int8 weights with
/// exact int32 sums, and scaled back: Y[m, n] = act((float)(Σ_k q(m, k)·w(k, n) − z(m)·Σ_k w(k, n)) · (s(m)·s_w(n)) + b(n)).
/// The weights are read in their <see cref="IntegerPanels"/> form, 64 products per 64 bytes. Because the sums are exact,
/// every path gives the bits of <see cref="IntegerDenseReference"/>.
/// </summary>
internal static class IntegerDenseKernel
{
    /// <summary>Computes one dense layer for a batch with int8 weights and inputs quantized as it runs. The quantized rows
    /// are rented from the shared array pool; a session carves them from its arena instead.</summary>
    /// <param name="x">X: <paramref name="batch"/>×K, row-major, contiguous.</param>
    /// <param name="batch">M, the number of samples (0 does nothing).</param>
    /// <param name="weights">W, K×N, int8, K at most <see cref="Layer.MaxIntegerInputs"/>.</param>
    /// <param name="bias">One float per output, or empty for no bias.</param>
    /// <param name="activation">The activation fused into the store.</param>
    /// <param name="y">Y: <paramref name="batch"/>×N, row-major, contiguous; must not overlap <paramref name="x"/>.</param>
    /// <param name="path">The instruction width; <see cref="KernelPath.Auto"/> picks <see cref="KernelPaths.Best"/>.</param>
    /// <exception cref="ArgumentException">The weights are not int8 or have too many rows, a length disagrees, or <paramref name="y"/> overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/>, <paramref name="activation"/> or <paramref name="path"/> is out of range.</exception>
    /// <exception cref="NotSupportedException">The requested path is not hardware-accelerated here.</exception>
    public static void Run(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, Activation activation,
        Span<float> y, KernelPath path = KernelPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Layer.RequireIntegerWeights(InputQuantization.Dynamic, weights);
        DenseKernel.Validate(x, batch, weights.Rows, weights.Columns, bias, activation, y);
        KernelPath resolved = KernelPaths.Resolve(path);
        float[] scratch = ArrayPool<float>.Shared.Rent((int)ScratchFloats(batch, weights.Rows));
        try
        {
            RunValidated(x, batch, weights, bias, FusedActivation.Of(activation), y, scratch, resolved);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The f32 scratch <see cref="RunValidated"/> needs for <paramref name="batch"/> rows of <paramref name="inputs"/>.</summary>
    internal static long ScratchFloats(int batch, int inputs) =>
        QuantizedRows.FloatsFor(batch, IntegerPanels.GroupsFor(inputs));

    /// <summary>The same without argument checks, for the session, which checked the shapes at load; the quantized rows
    /// live in <paramref name="scratch"/> (<see cref="ScratchFloats"/>). <paramref name="path"/> is resolved.</summary>
    internal static void RunValidated(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y, Span<float> scratch, KernelPath path)
    {
        QuantizedRows rows = Quantize(x, batch, weights.Rows, scratch, path);
        Multiply(rows, batch, weights, bias, activation, y, path, PanelShare.Whole);
    }

    /// <summary>The first half of <see cref="RunValidated"/>: each row of X quantized into <paramref name="scratch"/> (the
    /// scalar reference's quantizer on <see cref="KernelPath.Scalar"/>), and narrowed to bytes where the path reads them.</summary>
    internal static QuantizedRows Quantize(ReadOnlySpan<float> x, int batch, int inputs, Span<float> scratch, KernelPath path)
    {
        Debug.Assert(x.Length == batch * inputs && path != KernelPath.Auto);
        QuantizedRows rows = QuantizedRowsIn(scratch, batch, inputs);
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> row = x.Slice(m * inputs, inputs);
            (rows.Scales[m], rows.ZeroPoints[m]) = path == KernelPath.Scalar
                ? DynamicQuantization.Reference(row, rows.Row(m))
                : DynamicQuantization.Run(row, rows.Row(m));
        }
        if (ReadsBytes(path)) rows.NarrowToBytes();
        return rows;
    }

    /// <summary>Whether <paramref name="path"/>'s products read <see cref="QuantizedRows.Bytes"/>: at 256 and 512 bits where
    /// x64 has the dot product of four bytes. It makes as many products an instruction at 256 bits as the multiply-add of pairs
    /// at 512, with neither its widening nor its adds (bench/RESULTS.md, "Integer products with AVX-VNNI").</summary>
    internal static bool ReadsBytes(KernelPath path) =>
        path is KernelPath.Vector256 or KernelPath.Vector512 && IntegerDotLanes256.IsSupported && KernelPaths.Vector256Compiled;

    /// <summary>The quantized rows <see cref="Quantize"/> wrote into <paramref name="scratch"/>.</summary>
    internal static QuantizedRows QuantizedRowsIn(Span<float> scratch, int batch, int inputs) =>
        new(scratch, batch, IntegerPanels.GroupsFor(inputs));

    /// <summary>The second half: the outputs of the panels of <paramref name="share"/> from the quantized rows, which
    /// parts on other threads may read at the same time (how a layer is split across threads).</summary>
    internal static void Multiply(QuantizedRows rows, int batch, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y, KernelPath path, PanelShare share)
    {
        Debug.Assert(y.Length == batch * weights.Columns && path != KernelPath.Auto);
        switch (path)
        {
            case KernelPath.Scalar: IntegerDenseReference.Run(rows, batch, weights, bias, activation, y, share); break;
            case var _ when ReadsBytes(path): Products<IntegerDotLanes256, byte>(weights.IntegerPanels, bias, activation, y, rows, batch, share); break;
            case KernelPath.Vector512 when KernelPaths.Vector512Compiled: Products<IntegerLanes512, ushort>(weights.IntegerPanels, bias, activation, y, rows, batch, share); break;
            case KernelPath.Vector256 when KernelPaths.Vector256Compiled: Products<IntegerLanes256, ushort>(weights.IntegerPanels, bias, activation, y, rows, batch, share); break;
            default: Products<IntegerLanes128, ushort>(weights.IntegerPanels, bias, activation, y, rows, batch, share); break;
        }
    }

    /// <summary>The panels of <paramref name="share"/> one after another with the lanes <typeparamref name="TLanes"/>, which
    /// the caller checked this CPU runs (<see cref="IIntegerPanelLanes{TLevel}.IsSupported"/>) and whose levels the rows hold:
    /// how tests reach the lanes a path passes over on a CPU that has a better one.</summary>
    internal static void Products<TLanes, TLevel>(IntegerPanels weights, ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y,
        QuantizedRows rows, int batch, PanelShare share) where TLanes : struct, IIntegerPanelLanes<TLevel> where TLevel : unmanaged
    {
        Span<float> paddedBias = stackalloc float[PackedMatrix.PanelWidth];
        Span<float> partial = stackalloc float[PackedMatrix.PanelWidth];
        share.Panels(weights.Columns, out int firstFull, out int endFull, out bool hasPartial);
        if (hasPartial)
            Panel<TLanes, TLevel>(weights, weights.Columns / PackedMatrix.PanelWidth, bias, activation, y, rows, batch, paddedBias, partial);
        for (int p = firstFull; p < endFull; p++)
            Panel<TLanes, TLevel>(weights, p, bias, activation, y, rows, batch, paddedBias, partial);
    }

    /// <summary>Panel <paramref name="p"/>: its outputs row by row, a tile of rows at a time where the batch allows (a tile
    /// shares each group's load and widening).</summary>
    private static void Panel<TLanes, TLevel>(IntegerPanels weights, int p, ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y,
        QuantizedRows rows, int batch, Span<float> paddedBias, Span<float> partial) where TLanes : struct, IIntegerPanelLanes<TLevel> where TLevel : unmanaged
    {
        int n0 = p * PackedMatrix.PanelWidth, groups = weights.GroupCount, tile = TLanes.TileRows;
        paddedBias.Clear();
        if (!bias.IsEmpty) bias.Slice(n0, Math.Min(PackedMatrix.PanelWidth, weights.Columns - n0)).CopyTo(paddedBias);
        var outputs = new IntegerOutputs(weights, n0, paddedBias, activation, rows, y, partial);
        ref sbyte groupsStart = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Groups), (nint)p * groups * IntegerPanels.GroupBytes);
        ref TLevel values = ref MemoryMarshal.GetReference(rows.Levels<TLevel>());
        int m = 0;
        for (; m + tile <= batch; m += tile)
            TLanes.Tile(ref groupsStart, ref Unsafe.Add(ref values, m * rows.Width), rows.Width, groups, outputs, m);
        for (; m < batch; m++)
            TLanes.Row(ref groupsStart, ref Unsafe.Add(ref values, m * rows.Width), groups, outputs, m);
    }
}
