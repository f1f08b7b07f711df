using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Quantizes one sample's inputs to uint8 as an integer product runs (docs/FORMAT.md, "Int8 arithmetic"): with
/// lo = min(0, min x) and hi = max(0, max x), the scale s = (hi − lo) / 255, the zero point z = round(−lo / s) and
/// q = clamp(round(x / s) + z, 0, 255), rounding half to even: ONNX's DynamicQuantizeLinear on one row, so that ONNX
/// Runtime's quantize_dynamic graphs compute the same levels at batch 1. Zero is exact (x = 0 gives q = z). A row of zeros (or one so small that s is 0 or subnormal) has s = 0, z = 0
/// and q = 0, so the product leaves only the bias; a row holding NaN or ±∞ has s = NaN, z = 0 and q = 0, so every output
/// of the row is NaN.
/// <see cref="Run"/> and <see cref="Reference"/> give the same bits.
/// </summary>
internal static class DynamicQuantization
{
    private const float Levels = 255f;

    /// <summary>The scalar reference: <paramref name="q"/> (at least x.Length values; the rest set to 0) and (s, z).</summary>
    public static (float Scale, int ZeroPoint) Reference(ReadOnlySpan<float> x, Span<ushort> q)
    {
        float lo = 0f, hi = 0f;
        bool finite = true;
        foreach (float value in x)
        {
            finite &= float.IsFinite(value);
            lo = MathF.Min(lo, value);
            hi = MathF.Max(hi, value);
        }
        q.Clear();
        float scale = (hi - lo) / Levels;
        if (!finite) return (float.NaN, 0);
        if (!float.IsNormal(scale)) return (0f, 0);
        int zeroPoint = Math.Clamp((int)MathF.Round(-lo / scale), 0, 255);
        for (int k = 0; k < x.Length; k++) q[k] = (ushort)Math.Clamp((int)MathF.Round(x[k] / scale) + zeroPoint, 0, 255);
        return (scale, zeroPoint);
    }

    /// <summary>The same with <see cref="Vector{T}"/>: a pass for the range, a pass for the values.</summary>
    public static (float Scale, int ZeroPoint) Run(ReadOnlySpan<float> x, Span<ushort> q) =>
        x.Length >= 2 * Vector<float>.Count ? RunLong(x, q) : RunShort(x, q);

    /// <summary>A short row (a small rank's intermediate) as a long one padded with zeros, which change neither the range,
    /// which holds 0 anyway, nor the levels kept. Apart from <see cref="Run"/>, so that a long row, the common case, pays
    /// neither for the room on the stack nor for its guard.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (float Scale, int ZeroPoint) RunShort(ReadOnlySpan<float> x, Span<ushort> q)
    {
        Span<float> padded = stackalloc float[2 * Vector<float>.Count];
        Span<ushort> levels = stackalloc ushort[padded.Length];
        padded.Clear();
        x.CopyTo(padded);
        (float scale, int zeroPoint) = RunLong(padded, levels);
        levels[..x.Length].CopyTo(q);
        q[x.Length..].Clear();
        return (scale, zeroPoint);
    }

    /// <summary><see cref="Run"/> on at least two vectors of inputs: the last vector of each pass overlaps the one before
    /// (the range and the levels of a value do not change when it is seen twice), so the loops need no tail and call
    /// nothing, which keeps their vectors in registers.</summary>
    private static (float Scale, int ZeroPoint) RunLong(ReadOnlySpan<float> x, Span<ushort> q)
    {
        int lanes = Vector<float>.Count;
        Vector<float> lo = Vector<float>.Zero, hi = Vector<float>.Zero, lo2 = Vector<float>.Zero, hi2 = Vector<float>.Zero;
        var finite = Vector<int>.AllBitsSet;
        ref float first = ref MemoryMarshal.GetReference(x);
        // The native minimum and maximum (one instruction each): they differ from IEEE's only for NaN, which the finite mask
        // catches, and for −0, which changes neither s nor z. x − x is NaN for NaN and ±∞. Two vectors a step, each with
        // a minimum and a maximum of its own: with one, each step waited for the last one's.
        for (int k = 0; k < x.Length; k += 2 * lanes)
        {
            nuint at = (nuint)Math.Min(k, x.Length - 2 * lanes);
            Vector<float> v = Vector.LoadUnsafe(ref first, at), w = Vector.LoadUnsafe(ref first, at + (nuint)lanes);
            finite &= Vector.Equals(v - v, Vector<float>.Zero) & Vector.Equals(w - w, Vector<float>.Zero);
            lo = Vector.MinNative(lo, v);
            hi = Vector.MaxNative(hi, v);
            lo2 = Vector.MinNative(lo2, w);
            hi2 = Vector.MaxNative(hi2, w);
        }
        float low = Lowest(Vector.MinNative(lo, lo2)), high = -Lowest(-Vector.MaxNative(hi, hi2));
        float scale = (high - low) / Levels;
        if (finite != Vector<int>.AllBitsSet || !float.IsNormal(scale))
        {
            q.Clear();
            return (finite != Vector<int>.AllBitsSet ? float.NaN : 0f, 0);
        }
        int zeroPoint = Math.Clamp((int)MathF.Round(-low / scale), 0, 255);
        var divisor = new Vector<float>(scale);
        var z = new Vector<int>(zeroPoint);
        ref ushort levels = ref MemoryMarshal.GetReference(q);
        for (int k = 0; k < x.Length; k += 2 * lanes)
        {
            nuint at = (nuint)Math.Min(k, x.Length - 2 * lanes);
            Pair(Vector.LoadUnsafe(ref first, at), Vector.LoadUnsafe(ref first, at + (nuint)lanes), divisor, z).StoreUnsafe(ref levels, at);
        }
        for (int k = x.Length; k < q.Length; k++) q[k] = 0; // the padding of the last group, up to 3 values: a call to clear costs more
        return (scale, zeroPoint);
    }

    /// <summary>The least lane of <paramref name="v"/> by the native minimum, in vector steps: a loop over the lanes read
    /// them back through memory, which cost a batch of MNIST rows as much as the range pass. It can differ from
    /// <see cref="MathF.Min(float, float)"/>'s only in the sign of a zero (NaN is caught apart), which changes neither s nor z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lowest(Vector<float> v)
    {
        Vector128<float> m = Vector<float>.Count switch
        {
            4 => v.AsVector128(),
            8 => Halves(v.AsVector256()),
            _ => Halves(Vector256.MinNative(v.AsVector512().GetLower(), v.AsVector512().GetUpper())),
        };
        m = Vector128.MinNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return MathF.Min(m.ToScalar(), m.GetElement(1));

        static Vector128<float> Halves(Vector256<float> w) => Vector128.MinNative(w.GetLower(), w.GetUpper());
    }

    /// <summary>The levels of two vectors of inputs, narrowed into one vector of 16-bit values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ushort> Pair(Vector<float> a, Vector<float> b, Vector<float> s, Vector<int> z)
    {
        if (Avx2.IsSupported && Vector<float>.Count == Vector256<float>.Count)
            return PairAvx2(a.AsVector256(), b.AsVector256(), s.AsVector256(), z.AsVector256()).AsVector();
        return Vector.Narrow(Vector.AsVectorUInt32(LevelOf(a, s, z)), Vector.AsVectorUInt32(LevelOf(b, s, z)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> LevelOf(Vector<float> x, Vector<float> s, Vector<int> z) =>
        Vector.Min(Vector.Max(Vector.ConvertToInt32Native(Vector.Round(x / s)) + z, Vector<int>.Zero), new Vector<int>(255)); // |x / s| ≤ 256: no saturation needed

    /// <summary><see cref="Pair"/> in fewer instructions, which bound the pass (the division is not alone in its way):
    /// the conversion that rounds half to even as it converts (vcvtps2dq, in the default rounding mode: what the reference's
    /// round then cast gives), and the clamp to 0 … 255 done on the narrowed values, the packing's saturation clamping below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> PairAvx2(Vector256<float> a, Vector256<float> b, Vector256<float> s, Vector256<int> z)
    {
        Vector256<int> levelsA = Avx.ConvertToVector256Int32(a / s) + z, levelsB = Avx.ConvertToVector256Int32(b / s) + z;
        // The pack interleaves the 128-bit halves (a's low, b's low, a's high, b's high): a permutation of 64-bit lanes restores the order.
        Vector256<ushort> packed = Avx2.Permute4x64(Avx2.PackUnsignedSaturate(levelsA, levelsB).AsInt64(), 0b11_01_10_00).AsUInt16();
        return Vector256.Min(packed, Vector256.Create((ushort)255));
    }
}
