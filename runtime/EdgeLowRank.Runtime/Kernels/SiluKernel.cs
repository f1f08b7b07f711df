using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// SiLU (swish), x·σ(x): EfficientNet's activation (format 1.9), <see cref="Vector{T}"/> lanes at a time (sixteen where
/// AVX-512 is, where <see cref="Vector{T}"/> stays at eight: 1.56× the throughput on 4,704 values in
/// bench/RESULTS.md, "MobileNetV3 and EfficientNet: the hard swish in the store, SiLU at sixteen lanes …") through
/// <see cref="VectorMap{TVector, TLanes, TFunction}"/> with the sigmoid kernel's σ, so its error is σ's (1.2e-7 absolute) times |x| plus one
/// rounding. <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/> path.
/// </summary>
internal static class SiluKernel
{
    /// <summary>y[i] = x[i]·σ(x[i]) for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => WidestVectorMap<Silu>.Run(x, y);

    /// <summary>The same, <see cref="Vector{T}"/> lanes at a time (<see cref="Run"/> where AVX-512 is not).</summary>
    internal static void RunAtVectorWidth(ReadOnlySpan<float> x, Span<float> y) => WidestVectorMap<Silu>.RunAtVectorWidth(x, y);

    /// <summary>The same, one element at a time with MathF.Exp.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * (1f / (1f + MathF.Exp(-x[i])));
    }

    private readonly struct Silu : IVectorFunction<Vector<float>>, IVectorFunction<Vector512<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => x * SigmoidKernel.Logistic(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Apply(Vector512<float> x) => x * SigmoidKernel.Logistic(x);
    }
}
