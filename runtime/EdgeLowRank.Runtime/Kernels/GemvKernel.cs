using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The batch-1 step: one input row × one 16-column weight panel. Memory-bound: the panel is streamed
/// once, top to bottom, and each input is broadcast against its panel row. Four independent partial
/// sums (the reduction unrolled by four) hide the FMA latency, so the loop runs at load speed.
/// Vector512 runs it too, not the 256-bit code: one 64-byte load per panel row was faster at batch 1
/// (JIT, AMD EPYC: 784→300 11.0 against 12.9 µs, 300→100 1.04 against 1.52 µs, 784→30 0.91 against 1.20 µs).
/// An int8 panel streams a quarter of the bytes and widens each row in registers (<see cref="Int8Rows{TRow}"/>); its
/// column scales multiply the finished sums, not every weight: scaling each widened row cost LeNet-300-100's factorized
/// model a quarter more at batch 1 (JIT, AMD EPYC, Vector512: 3.22 against 2.45–2.51 µs; f32 2.28 µs).
/// </summary>
internal static class GemvKernel
{
    /// <summary>y[0..16) = act(bias + Σ_k x[k]·panel[k, 0..16)), the panel's rows read as <typeparamref name="TRows"/> says.</summary>
    /// <param name="x">The input row, <paramref name="inputs"/> floats.</param>
    /// <param name="inputs">K, the reduction length.</param>
    /// <param name="panel">The panel: K rows of 16 elements (<see cref="IPanelRows{TRow}.RowBytes"/> apart).</param>
    /// <param name="scales">An int8 panel's 16 column scales (not read for f32).</param>
    /// <param name="bias">16 floats (zeros when the layer has no bias).</param>
    /// <param name="activation">The activation fused into the store.</param>
    /// <param name="y">16 output floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRow, TRows>(ref readonly float x, int inputs, ref readonly byte panel, ref readonly float scales,
        ref readonly float bias, FusedActivation activation, ref float y)
        where TRow : struct, IPanelRow<TRow>
        where TRows : struct, IPanelRows<TRow>
    {
        Debug.Assert(inputs >= 1);
        int step = TRows.RowBytes;
        TRow s0 = TRow.Zero, s1 = TRow.Zero, s2 = TRow.Zero, s3 = TRow.Zero;
        ref float xk = ref Unsafe.AsRef(in x);
        ref byte w = ref Unsafe.AsRef(in panel);
        int k = 0;
        for (; k <= inputs - 4; k += 4)
        {
            TRow.MultiplyAdd(Unsafe.Add(ref xk, k), TRows.Load(ref w), ref s0);
            TRow.MultiplyAdd(Unsafe.Add(ref xk, k + 1), TRows.Load(ref Unsafe.Add(ref w, step)), ref s1);
            TRow.MultiplyAdd(Unsafe.Add(ref xk, k + 2), TRows.Load(ref Unsafe.Add(ref w, 2 * step)), ref s2);
            TRow.MultiplyAdd(Unsafe.Add(ref xk, k + 3), TRows.Load(ref Unsafe.Add(ref w, 3 * step)), ref s3);
            w = ref Unsafe.Add(ref w, 4 * step);
        }
        for (; k < inputs; k++)
        {
            TRow.MultiplyAdd(Unsafe.Add(ref xk, k), TRows.Load(ref w), ref s0);
            w = ref Unsafe.Add(ref w, step);
        }
        TRow scale = TRows.IsInt8 ? TRow.Load(in scales) : TRow.Zero; // a constant condition to the JIT
        TRow.Store(TRows.Finish(TRow.Add(TRow.Add(s0, s1), TRow.Add(s2, s3)), in scale), in bias, activation, ref y);
    }
}
