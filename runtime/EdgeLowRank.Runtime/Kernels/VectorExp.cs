using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// e^x in single precision, <see cref="Vector{T}"/> lanes at a time, for the tanh and sigmoid kernels. Vector.Exp computes
/// in double precision (widening and narrowing every vector): with it the tanh kernel took 7.8 µs on LeNet-5's 4,704
/// activations, against 4.4 µs with this exp, fused multiply-adds and inlining (bench/RESULTS.md, "Tanh, sigmoid and average
/// pooling"). This one stays in float: x = n·ln 2 + r with |r| ≤ ln 2 / 2 (n by round-to-nearest through a shifter, r by a
/// two-part ln 2 so that n·ln 2's first part is exact), e^r by its Taylor series through r⁷ (truncation under 1e-8
/// relative), and 2ⁿ written into the exponent bits. The <see cref="Vector512{T}"/> overload is the same operations on
/// sixteen lanes (the same bits lane for lane), for the kernels that run at that width where AVX-512 is.
/// </summary>
internal static class VectorExp
{
    /// <summary>The largest x taken: n stays at most 127, so 2ⁿ is a normal float.</summary>
    public const float MaxInput = 88.3f;

    /// <summary>The smallest x taken: n stays at least −126.</summary>
    public const float MinInput = -87.3f;

    /// <summary>e^x for every lane, within 2 units in the last place for x in [<see cref="MinInput"/>, <see cref="MaxInput"/>]
    /// (lanes outside get the value at the nearer end). NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        // The native min and max (one instruction each, where IEEE's take three on x64) lose NaN; the last line restores it.
        Vector<float> clamped = Vector.MinNative(Vector.MaxNative(x, new Vector<float>(MinInput)), new Vector<float>(MaxInput));
        // Adding 1.5·2²³ rounds x·log₂e to an integer in the low mantissa bits; subtracting it gives n as a float.
        var shifter = new Vector<float>(12582912f);
        Vector<float> shifted = VectorMath.MultiplyAdd(clamped, new Vector<float>(1.44269504f), shifter);
        Vector<float> n = shifted - shifter;
        // ln 2 = 0.693359375 (exact in 9 bits, so n·that is exact) − 2.12194440e-4.
        Vector<float> r = VectorMath.MultiplyAdd(n, new Vector<float>(-0.693359375f), clamped);
        r = VectorMath.MultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = new Vector<float>(1f / 5040);
        p = VectorMath.MultiplyAdd(p, r, new Vector<float>(1f / 720));
        p = VectorMath.MultiplyAdd(p, r, new Vector<float>(1f / 120));
        p = VectorMath.MultiplyAdd(p, r, new Vector<float>(1f / 24));
        p = VectorMath.MultiplyAdd(p, r, new Vector<float>(1f / 6));
        p = VectorMath.MultiplyAdd(p, r, new Vector<float>(0.5f));
        p = VectorMath.MultiplyAdd(p, r, Vector<float>.One);
        p = VectorMath.MultiplyAdd(p, r, Vector<float>.One);
        // 2ⁿ: n + 127 in the exponent field; n is the shifted value's low bits.
        Vector<int> exponent = (Vector.AsVectorInt32(shifted) - Vector.AsVectorInt32(shifter) + new Vector<int>(127)) << 23;
        return Vector.ConditionalSelect(Vector.Equals(x, x), p * Vector.AsVectorSingle(exponent), x);
    }

    /// <summary>The same, sixteen lanes at a time: each operation as <see cref="Exp(Vector{float})"/>'s, so each lane's bits too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(MinInput)), Vector512.Create(MaxInput));
        var shifter = Vector512.Create(12582912f);
        Vector512<float> shifted = Vector512.MultiplyAddEstimate(clamped, Vector512.Create(1.44269504f), shifter);
        Vector512<float> n = shifted - shifter;
        Vector512<float> r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-0.693359375f), clamped);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1f / 5040);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 720));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 120));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 24));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 6));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(0.5f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        Vector512<int> exponent = (shifted.AsInt32() - shifter.AsInt32() + Vector512.Create(127)) << 23;
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), p * exponent.AsSingle(), x);
    }
}
