using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Widens one int8 weight panel (K rows of 16 signed bytes) to f32, each column times its scale. Every element is one
/// exact conversion and one rounded product, so the vector code and the scalar reference give the same bits.
/// </summary>
internal static class PanelDequantizer
{
    private const int Width = Layers.PackedMatrix.PanelWidth;

    /// <summary>destination[k·16 + j] = quantized[k·16 + j] × scales[j].</summary>
    /// <param name="quantized">K×16 signed bytes.</param>
    /// <param name="scales">The panel's 16 column scales.</param>
    /// <param name="destination">K×16 floats.</param>
    /// <param name="vector">Whether 128-bit vectors may be used (where accelerated): false on the scalar kernel path.</param>
    public static void Run(ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales, Span<float> destination, bool vector = true)
    {
        Debug.Assert(scales.Length == Width && quantized.Length == destination.Length && quantized.Length % Width == 0);
        if (vector && Vector128.IsHardwareAccelerated) Vector(quantized, scales, destination);
        else Reference(quantized, scales, destination);
    }

    /// <summary>The definition, element by element: the oracle of <see cref="Vector"/>, and what runs on the scalar path
    /// and where 128-bit vectors are not accelerated.</summary>
    public static void Reference(ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales, Span<float> destination)
    {
        for (int i = 0; i < quantized.Length; i++)
            destination[i] = quantized[i] * scales[i % Width];
    }

    /// <summary>One panel row per step: 16 bytes widened to 2 × 8 shorts, to 4 × 4 ints, converted and scaled (on arm64 SXTL,
    /// SCVTF and FMUL; on x64 PMOVSX, CVTDQ2PS and MULPS). 128-bit on every path: a row is 16 bytes, one 128-bit load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Vector(ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales, Span<float> destination)
    {
        ref float scale = ref MemoryMarshal.GetReference(scales);
        Vector128<float> s0 = Vector128.LoadUnsafe(ref scale), s1 = Vector128.LoadUnsafe(ref scale, 4);
        Vector128<float> s2 = Vector128.LoadUnsafe(ref scale, 8), s3 = Vector128.LoadUnsafe(ref scale, 12);
        ref sbyte source = ref MemoryMarshal.GetReference(quantized);
        ref float target = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0, end = (nuint)quantized.Length; i < end; i += Width)
        {
            Vector128<sbyte> row = Vector128.LoadUnsafe(ref source, i);
            (Vector128<short> low, Vector128<short> high) = Vector128.Widen(row);
            (Vector128<int> a, Vector128<int> b) = Vector128.Widen(low);
            (Vector128<int> c, Vector128<int> d) = Vector128.Widen(high);
            (Vector128.ConvertToSingle(a) * s0).StoreUnsafe(ref target, i);
            (Vector128.ConvertToSingle(b) * s1).StoreUnsafe(ref target, i + 4);
            (Vector128.ConvertToSingle(c) * s2).StoreUnsafe(ref target, i + 8);
            (Vector128.ConvertToSingle(d) * s3).StoreUnsafe(ref target, i + 12);
        }
    }
}
