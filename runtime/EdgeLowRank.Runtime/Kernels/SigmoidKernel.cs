using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The stand-alone logistic sigmoid (format 1.4), <see cref="Vector{T}"/> lanes at a time (sixteen where AVX-512 is, where
/// <see cref="Vector{T}"/> stays at eight: the exponential's arithmetic per lane makes the width pay) through
/// <see cref="VectorMap{TVector, TLanes, TFunction}"/> (not TensorPrimitives.Sigmoid, whose vector and scalar-tail results differ by a unit
/// in the last place, so a sample's result would depend on the batch). Within 1.2e-7 of the float64 value (SquashKernelTests, on [−100, 100]); the
/// outputs lie in [0, 1], so the error that matters is absolute. <see cref="Reference"/> is the scalar oracle and the
/// <see cref="KernelPath.Scalar"/> path.
/// </summary>
internal static class SigmoidKernel
{
    /// <summary>y[i] = 1 / (1 + exp(−x[i])) for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => WidestVectorMap<Sigmoid>.Run(x, y);

    /// <summary>The same, <see cref="Vector{T}"/> lanes at a time (<see cref="Run"/> where AVX-512 is not).</summary>
    internal static void RunAtVectorWidth(ReadOnlySpan<float> x, Span<float> y) => WidestVectorMap<Sigmoid>.RunAtVectorWidth(x, y);

    /// <summary>The same, one element at a time with MathF.Exp.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>Above 87.3, e^−x is below the smallest normal float and the result is 1; below −88.3 the true value is
    /// under 5e-39 and the result is 0 (the exp kernel's range, <see cref="VectorExp"/>). NaN stays NaN.</summary>
    private readonly struct Sigmoid : IVectorFunction<Vector<float>>, IVectorFunction<Vector512<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // into VectorMap's loop: a call per vector costs as much as the work
        public Vector<float> Apply(Vector<float> x) => Logistic(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Apply(Vector512<float> x) => Logistic(x);
    }

    /// <summary>σ(x) for every lane, as <see cref="Run"/> computes it; the SiLU kernel multiplies it by x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Logistic(Vector<float> x)
    {
        Vector<float> y = Vector<float>.One / (Vector<float>.One + VectorExp.Exp(-x));
        return Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(-VectorExp.MaxInput)), Vector<float>.Zero, y);
    }

    /// <summary>The same, sixteen lanes at a time, with the same bits lane for lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Logistic(Vector512<float> x)
    {
        Vector512<float> y = Vector512<float>.One / (Vector512<float>.One + VectorExp.Exp(-x));
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-VectorExp.MaxInput)), Vector512<float>.Zero, y);
    }
}
