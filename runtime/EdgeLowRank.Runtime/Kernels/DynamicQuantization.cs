using System.Numerics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Quantizes one sample's inputs to uint8 as an integer product runs (docs/FORMAT.md, "Int8 arithmetic"): with
/// lo = min(0, min x) and hi = max(0, max x), the scale s = (hi − lo) / 255, the zero point z = round(−lo / s) and
/// q = clamp(round(x / s) + z, 0, 255), rounding half to even: ONNX's DynamicQuantizeLinear on one row. Zero is exact
/// (x = 0 gives q = z). A row of zeros (or one so small that s underflows to 0) has s = 0, z = 0 and q = 0, so the product
/// leaves only the bias; a row holding NaN or ±∞ has s = NaN, z = 0 and q = 0, so every output of the row is NaN.
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
        if (scale == 0f) return (0f, 0);
        int zeroPoint = Math.Clamp((int)MathF.Round(-lo / scale), 0, 255);
        for (int k = 0; k < x.Length; k++) q[k] = Level(x[k], scale, zeroPoint);
        return (scale, zeroPoint);
    }

    /// <summary>The same with <see cref="Vector{T}"/>: a pass for the range, a pass for the values.</summary>
    public static (float Scale, int ZeroPoint) Run(ReadOnlySpan<float> x, Span<ushort> q)
    {
        int lanes = Vector<float>.Count, k = 0;
        var lo = Vector<float>.Zero;
        var hi = Vector<float>.Zero;
        var finite = Vector<int>.AllBitsSet;
        for (; k <= x.Length - lanes; k += lanes)
        {
            var v = new Vector<float>(x[k..]);
            finite &= Vector.Equals(v - v, Vector<float>.Zero); // x − x is NaN for NaN and ±∞
            lo = Vector.Min(lo, v);
            hi = Vector.Max(hi, v);
        }
        float low = 0f, high = 0f;
        bool isFinite = finite == Vector<int>.AllBitsSet;
        for (int i = 0; i < lanes; i++)
        {
            low = MathF.Min(low, lo[i]);
            high = MathF.Max(high, hi[i]);
        }
        for (int tail = k; tail < x.Length; tail++)
        {
            isFinite &= float.IsFinite(x[tail]);
            low = MathF.Min(low, x[tail]);
            high = MathF.Max(high, x[tail]);
        }
        q.Clear();
        float scale = (high - low) / Levels;
        if (!isFinite) return (float.NaN, 0);
        if (scale == 0f) return (0f, 0);
        int zeroPoint = Math.Clamp((int)MathF.Round(-low / scale), 0, 255);
        ToLevels(x, q, scale, zeroPoint);
        return (scale, zeroPoint);
    }

    /// <summary>q = clamp(round(x / s) + z, 0, 255) a vector at a time (the same operations as <see cref="Level"/>), the
    /// tail one value at a time.</summary>
    private static void ToLevels(ReadOnlySpan<float> x, Span<ushort> q, float scale, int zeroPoint)
    {
        int lanes = Vector<float>.Count, k = 0;
        var s = new Vector<float>(scale);
        var z = new Vector<int>(zeroPoint);
        var top = new Vector<int>(255);
        for (; k <= x.Length - 2 * lanes; k += 2 * lanes)
        {
            Vector<int> a = Vector.Min(Vector.Max(Vector.ConvertToInt32(Vector.Round(new Vector<float>(x[k..]) / s)) + z, Vector<int>.Zero), top);
            Vector<int> b = Vector.Min(Vector.Max(Vector.ConvertToInt32(Vector.Round(new Vector<float>(x[(k + lanes)..]) / s)) + z, Vector<int>.Zero), top);
            Vector.Narrow(Vector.AsVectorUInt32(a), Vector.AsVectorUInt32(b)).CopyTo(q[k..]);
        }
        for (; k < x.Length; k++) q[k] = Level(x[k], scale, zeroPoint);
    }

    private static ushort Level(float x, float scale, int zeroPoint) =>
        (ushort)Math.Clamp((int)MathF.Round(x / scale) + zeroPoint, 0, 255);
}
